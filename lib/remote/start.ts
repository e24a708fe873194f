import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  DescribeStateMachineCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { StateMachineDefinition } from '../../statemachines/index.js';
import type { RunInput } from '../contract/index.js';
import { awsErrorName, type SfnClient } from './client.js';
import { compareDefinitions, type DriftReport } from './drift.js';
import { DriftError, RemoteError } from './errors.js';
import { executionArn, type StateMachineTarget } from './names.js';
import { awsFailure } from './private/aws-failure.js';
import { sameJson } from './private/json.js';

export interface RemoteStartRequest {
  readonly sfn: SfnClient;
  readonly machine: StateMachineTarget;
  /** The local compile of the pipeline for the env (what `mc render` prints). */
  readonly definition: StateMachineDefinition;
  /** Exactly what the local engine would hand the same definition. */
  readonly input: RunInput;
  /** The execution name, also the run id (`executionName`). */
  readonly name: string;
  /** Start even when the deployed definition differs from the local compile. */
  readonly force?: boolean;
  /**
   * Writes the run's opening evidence (plan.json, …); called once this call is to start the
   * execution (not on drift, nor when it already exists), before StartExecution.
   */
  readonly recordOpening?: () => Promise<unknown>;
}

export interface RemoteStartResult {
  /** `started`: a new execution; `existing`: this name already ran or runs with this same input. */
  readonly outcome: 'started' | 'existing';
  readonly executionArn: string;
  readonly executionName: string;
  readonly startDate: string;
  /** The execution's status when it already existed (RUNNING, SUCCEEDED, …); RUNNING when started. */
  readonly status: string;
  readonly drift: DriftReport & { readonly forced: boolean };
}

/**
 * Starts the deployed machine with the run's input, once: the name is derived from pipeline,
 * commit and attempt, so a retried start finds the execution already there and reports it. A
 * name already used with another input is refused (NAME_TAKEN); `--rerun` gives a new name.
 * Refuses (DRIFT) when the deployed definition is not the local compile, unless forced. The run's
 * opening evidence is written (`recordOpening`) just before the execution is started.
 */
export async function startRemoteRun(request: RemoteStartRequest): Promise<RemoteStartResult> {
  const { sfn, machine, name } = request;
  const described = await sfn
    .send(new DescribeStateMachineCommand({ stateMachineArn: machine.arn }))
    .catch((error: unknown) => {
      if (awsErrorName(error) === 'StateMachineDoesNotExist')
        throw new RemoteError(
          'NO_STATE_MACHINE',
          `no state machine ${machine.name} in account ${machine.account}, region ${machine.region}: deploy the stack of this environment (docs/deploy.md) or pass --state-machine-arn`,
          { cause: error },
        );
      throw awsFailure('DescribeStateMachine', error);
    });
  const report = compareDefinitions(request.definition, described.definition ?? '');
  const drift = { ...report, forced: report.drifted && request.force === true };
  if (report.drifted && !request.force) throw new DriftError(machine.arn, drift);

  const arn = executionArn(machine, name);
  const inputText = JSON.stringify(request.input);
  // Looked up first, so the answer says whether this call started the run or found it.
  const existing = await describeIfExists(sfn, arn);
  if (existing) return reportExisting(existing, request, drift);
  // The machine's first tasks read plan.json: it is there before the execution exists.
  await request.recordOpening?.();
  try {
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: machine.arn, name, input: inputText }),
    );
    return {
      outcome: 'started',
      executionArn: started.executionArn ?? arn,
      executionName: name,
      startDate: iso(started.startDate),
      status: 'RUNNING',
      drift,
    };
  } catch (error) {
    if (awsErrorName(error) !== 'ExecutionAlreadyExists') throw awsFailure('StartExecution', error);
    // Started by someone else between the lookup and the start (a parallel retry).
    const raced = await describeIfExists(sfn, arn);
    if (!raced) throw awsFailure('StartExecution', error);
    return reportExisting(raced, request, drift);
  }
}

async function describeIfExists(
  sfn: SfnClient,
  arn: string,
): Promise<DescribeExecutionCommandOutput | undefined> {
  try {
    return await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
  } catch (error) {
    if (awsErrorName(error) === 'ExecutionDoesNotExist') return undefined;
    throw awsFailure('DescribeExecution', error);
  }
}

function reportExisting(
  existing: DescribeExecutionCommandOutput,
  request: RemoteStartRequest,
  drift: RemoteStartResult['drift'],
): RemoteStartResult {
  if (!sameJson(existing.input, request.input))
    throw new RemoteError(
      'NAME_TAKEN',
      `execution ${request.name} already exists with a different input (${existing.status}, started ${iso(existing.startDate)}): the same pipeline, commit and attempt were started with other github context or evidence; pass --rerun to start a new run deliberately`,
    );
  return {
    outcome: 'existing',
    executionArn: existing.executionArn ?? executionArn(request.machine, request.name),
    executionName: request.name,
    startDate: iso(existing.startDate),
    status: existing.status ?? 'UNKNOWN',
    drift,
  };
}

function iso(date: Date | undefined): string {
  return (date ?? new Date(0)).toISOString();
}
