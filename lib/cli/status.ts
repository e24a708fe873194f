import type { Command } from 'commander';
import { EVIDENCE } from '../evidence/index.js';
import type { Plan } from '../plan/index.js';
import {
  describeRemoteRun,
  parseExecutionArn,
  RemoteError,
  sfnClientFromEnv,
  statusText,
} from '../remote/index.js';
import type { NodeRecord } from '../state/index.js';
import { UsageError } from './errors.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { withLocalBackend } from './local-backend.js';
import { jsonOption } from './options.js';
import { runDocument, runTable } from './run-report.js';

export function registerStatus(program: Command, io: CliIO, exit: (code: number) => void): void {
  program
    .command('status')
    .description('show a run and its nodes (the latest run when no id is given), also while it runs')
    .argument(
      '[runId]',
      'run id, as mc run printed it; with --remote, the execution ARN mc run --remote printed',
    )
    .option(
      '--remote',
      'read an execution of AWS Step Functions back (DescribeExecution, GetExecutionHistory)',
    )
    .option('--no-history', 'with --remote: skip the execution history (no per-node outcomes)')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nWith --remote the region comes from the ARN; credentials from the usual AWS environment.\nExit codes: 0 shown (whatever the run status), 1 no such run or AWS error, 2 usage error.',
    )
    .action(async (runId: string | undefined, options: StatusOptions) =>
      exit(options.remote ? await remoteStatus(runId, options, io) : await status(runId, options, io)),
    );
}

interface StatusOptions {
  readonly json?: boolean;
  readonly remote?: boolean;
  readonly history?: boolean;
}

// `mc status --remote ARN`: lib/remote reads it; this prints.
async function remoteStatus(arn: string | undefined, options: StatusOptions, io: CliIO): Promise<number> {
  if (!arn) throw new UsageError('mc status --remote needs the execution ARN that mc run --remote printed');
  let region: string;
  try {
    region = parseExecutionArn(arn).region;
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const client = sfnClientFromEnv(region, io.env);
  try {
    const found = await describeRemoteRun(client, arn, { history: options.history !== false });
    if (options.json) printJson(io, found);
    else io.stdout(statusText(found));
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof RemoteError)) throw error;
    if (options.json) printJson(io, { error: error.message });
    else io.stderr(`mc status: ${error.message}\n`);
    return EXIT.failed;
  } finally {
    client.destroy();
  }
}

async function status(runId: string | undefined, options: { json?: boolean }, io: CliIO): Promise<number> {
  return withLocalBackend(io, async (backend) => {
    const run = runId ? await backend.state.getRun(runId) : (await backend.state.listRuns(1))[0];
    if (!run) {
      const message = runId
        ? `no run ${runId} is recorded in this project`
        : 'no runs are recorded in this project yet (mc run FILE starts one)';
      if (options.json) printJson(io, { error: message });
      else io.stderr(`mc status: ${message}\n`);
      return EXIT.failed;
    }
    // Nodes that have not started yet have no record: the run's plan lists them as PENDING.
    const plan = await backend.evidence.getJson<Plan>(`${run.evidence.prefix}${EVIDENCE.plan}`);
    const recorded = new Map((await backend.state.getNodes(run.runId)).map((n) => [n.node, n]));
    const ids = plan?.order ?? [...recorded.keys()];
    const nodes: NodeRecord[] = ids.map(
      (id) => recorded.get(id) ?? { runId: run.runId, node: id, status: 'PENDING', attempts: 0 },
    );
    if (options.json) printJson(io, runDocument(run, nodes));
    else io.stdout(runTable(run, nodes));
    return EXIT.ok;
  });
}
