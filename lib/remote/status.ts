import { DescribeExecutionCommand, GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import type { RunInput } from '../contract/index.js';
import { awsErrorName, type SfnClient } from './client.js';
import { RemoteError } from './errors.js';
import { nodeOutcomes, type RemoteNode } from './history.js';
import { parseExecutionArn } from './names.js';
import { awsFailure } from './private/aws-failure.js';
import { parseJson } from './private/json.js';

/** Read at most this many history pages (1,000 events each): a run stays under 25,000 events. */
export const MAX_HISTORY_PAGES = 25;

/** The `mc status --remote --json` document. */
export interface RemoteRunStatus {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly executionName: string;
  readonly runId: string | null;
  readonly pipeline: string | null;
  readonly env: string | null;
  /** RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED or PENDING_REDRIVE, as Step Functions says. */
  readonly status: string;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly error: string | null;
  /** Per-node outcomes from the history; null when it could not be read (`note` says why). */
  readonly nodes: readonly RemoteNode[] | null;
  readonly note?: string;
}

/** Reads an execution back: DescribeExecution, then its history for the nodes (unless `history: false`). */
export async function describeRemoteRun(
  sfn: SfnClient,
  arn: string,
  options: { history?: boolean } = {},
): Promise<RemoteRunStatus> {
  const parsed = parseExecutionArn(arn);
  const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: arn })).catch((error) => {
    if (awsErrorName(error) === 'ExecutionDoesNotExist')
      throw new RemoteError(
        'NO_EXECUTION',
        `no execution ${arn} (executions are kept 90 days after they end)`,
        {
          cause: error,
        },
      );
    throw awsFailure('DescribeExecution', error);
  });
  const input = parseJson(execution.input) as Partial<RunInput> | undefined;
  const status = execution.status ?? 'UNKNOWN';
  const errorText = [execution.error, execution.cause].filter(Boolean).join(': ');
  const base = {
    executionArn: arn,
    stateMachineArn: execution.stateMachineArn ?? parsed.arn,
    executionName: execution.name ?? parsed.execution,
    runId: typeof input?.runId === 'string' ? input.runId : null,
    pipeline: typeof input?.pipeline === 'string' ? input.pipeline : null,
    env: typeof input?.env === 'string' ? input.env : null,
    status,
    startedAt: execution.startDate?.toISOString() ?? null,
    endedAt: execution.stopDate?.toISOString() ?? null,
    error: errorText || null,
  };
  if (options.history === false) return { ...base, nodes: null, note: 'history not read' };
  try {
    const events = await readHistory(sfn, arn);
    return { ...base, nodes: nodeOutcomes(events, status === 'RUNNING') };
  } catch (error) {
    const failure = awsFailure('GetExecutionHistory', error);
    return { ...base, nodes: null, note: `node outcomes unavailable: ${failure.message}` };
  }
}

async function readHistory(sfn: SfnClient, arn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
    const out = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: arn,
        maxResults: 1000,
        includeExecutionData: false,
        nextToken,
      }),
    );
    events.push(...(out.events ?? []));
    nextToken = out.nextToken;
    if (!nextToken) break;
  }
  return events;
}
