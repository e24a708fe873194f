import type { EnvName } from '../plan/index.js';
import { RemoteError } from './errors.js';

// The names the CDK stack deploys and `mc run --remote` looks for. The stack must use these
// functions (never its own spelling), so the CLI finds the machine from pipeline and env alone.

/** Step Functions names: 1-80 characters; we keep to those CloudWatch Logs also accepts. */
export const MAX_SFN_NAME = 80;
const SFN_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The deployed state machine of a pipeline in an environment: `mc-<pipeline>-<env>`, e.g.
 * `mc-api-prod`. A pipeline name has at most 63 characters, so this stays within 80.
 */
export function stateMachineName(pipeline: string, env: EnvName): string {
  const name = `mc-${pipeline}-${env}`;
  if (!SFN_NAME.test(name))
    throw new RemoteError('BAD_NAME', `state machine name "${name}" is not a valid Step Functions name`);
  return name;
}

/**
 * The evidence bucket of an environment's stack: `mc-evidence-<account>-<region>-<env>`
 * (globally unique, at most 51 characters). The stack names its bucket with it
 * (lib/infra/platform-stack.ts), so `mc run --remote` finds it from account, region and env.
 */
export function evidenceBucketName(account: string, region: string, env: EnvName): string {
  return `mc-evidence-${account}-${region}-${env}`;
}

export interface StateMachineTarget {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly name: string;
  readonly arn: string;
}

const MACHINE_ARN = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):stateMachine:([A-Za-z0-9_-]{1,80})$/;
const EXECUTION_ARN =
  /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):execution:([A-Za-z0-9_-]{1,80}):([A-Za-z0-9_-]{1,80})$/;

export function stateMachineArn(partition: string, region: string, account: string, name: string): string {
  return `arn:${partition}:states:${region}:${account}:stateMachine:${name}`;
}

/** The parts of a state machine ARN, or a BAD_ARN error naming the expected form. */
export function parseStateMachineArn(arn: string): StateMachineTarget {
  const match = MACHINE_ARN.exec(arn);
  if (!match)
    throw new RemoteError(
      'BAD_ARN',
      `"${arn}" is not a state machine ARN (expected arn:aws:states:<region>:<account>:stateMachine:<name>)`,
    );
  const [, partition, region, account, name] = match;
  return { partition, region, account, name, arn };
}

/** The parts of an execution ARN, or a BAD_ARN error. */
export function parseExecutionArn(
  arn: string,
): StateMachineTarget & { execution: string; executionArn: string } {
  const match = EXECUTION_ARN.exec(arn);
  if (!match)
    throw new RemoteError(
      'BAD_ARN',
      `"${arn}" is not an execution ARN (expected arn:aws:states:<region>:<account>:execution:<machine>:<name>, as mc run --remote printed it)`,
    );
  const [, partition, region, account, name, execution] = match;
  return {
    partition,
    region,
    account,
    name,
    arn: stateMachineArn(partition, region, account, name),
    execution,
    executionArn: arn,
  };
}

/** The ARN Step Functions gives an execution of `machine` named `name`. */
export function executionArn(machine: StateMachineTarget, name: string): string {
  return `arn:${machine.partition}:states:${machine.region}:${machine.account}:execution:${machine.name}:${name}`;
}

export interface ExecutionNameParts {
  readonly pipeline: string;
  /** The commit the run builds (hex). */
  readonly commit: string;
  /** CI attempt (GITHUB_RUN_ATTEMPT), 1 outside CI. */
  readonly attempt: number;
  /** Set for a deliberate new run of the same commit and attempt (`--rerun`). */
  readonly rerun?: string;
}

const COMMIT = /^[0-9a-f]{7,64}$/;
export const RERUN_TOKEN = /^[A-Za-z0-9_]{1,16}$/;

/**
 * `<pipeline>-<commit 12>-a<attempt>[-r<rerun>]`: the same pipeline, commit and attempt always
 * give the same name, so a retried start finds the execution it already started. Names are
 * unique per state machine (one per pipeline and env), so a pipeline name too long to fit is
 * shortened without losing uniqueness. It is also the run id (evidence `runs/<pipeline>/<name>/`).
 */
export function executionName(parts: ExecutionNameParts): string {
  if (!COMMIT.test(parts.commit))
    throw new RemoteError('NO_COMMIT', `commit "${parts.commit}" is not a hexadecimal git commit id`);
  if (!Number.isSafeInteger(parts.attempt) || parts.attempt < 1)
    throw new RemoteError('BAD_NAME', `attempt ${parts.attempt} is not a positive whole number`);
  if (parts.rerun !== undefined && !RERUN_TOKEN.test(parts.rerun))
    throw new RemoteError('BAD_NAME', `rerun id "${parts.rerun}" must be 1-16 letters, digits or '_'`);
  const tail = `-${parts.commit.slice(0, 12)}-a${parts.attempt}${parts.rerun ? `-r${parts.rerun}` : ''}`;
  const room = MAX_SFN_NAME - tail.length;
  const head = parts.pipeline.slice(0, room).replace(/-+$/, '');
  return `${head}${tail}`;
}
