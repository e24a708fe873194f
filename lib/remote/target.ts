import {
  type EvidenceLocation,
  evidenceLocation,
  type GithubContext,
  type RunInput,
} from '../contract/index.js';
import type { Plan } from '../plan/index.js';
import { RemoteError } from './errors.js';
import {
  evidenceBucketName,
  executionName,
  parseStateMachineArn,
  type StateMachineTarget,
  stateMachineArn,
  stateMachineName,
} from './names.js';

/** What the command line and environment say about where to run. */
export interface RemoteFlags {
  readonly stateMachineArn?: string;
  readonly account?: string;
  readonly region?: string;
  readonly evidenceBucket?: string;
  /** `--rerun` alone is `true` (a new id from the clock); `--rerun ID` names the rerun. */
  readonly rerun?: boolean | string;
}

export interface RemoteTarget {
  readonly machine: StateMachineTarget;
  readonly bucket: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The machine to start: `--state-machine-arn` or `MC_STATE_MACHINE_ARN`, else the one the stack
 * deploys for this pipeline and env (`stateMachineName`) in `--account` / `MC_AWS_ACCOUNT` and
 * `--region` / `AWS_REGION` / `AWS_DEFAULT_REGION`. The evidence bucket: `--evidence-bucket` /
 * `MC_EVIDENCE_BUCKET`, else the stack's (`evidenceBucketName`).
 */
export function resolveTarget(plan: Plan, flags: RemoteFlags, env: Env): RemoteTarget {
  const explicit = flags.stateMachineArn ?? env.MC_STATE_MACHINE_ARN;
  let machine: StateMachineTarget;
  if (explicit) {
    machine = parseStateMachineArn(explicit);
  } else {
    const account = flags.account ?? env.MC_AWS_ACCOUNT;
    const region = flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    const missing = [
      !account && '--account (or MC_AWS_ACCOUNT)',
      !region && '--region (or AWS_REGION)',
    ].filter(Boolean);
    if (!account || !region)
      throw new RemoteError(
        'NO_TARGET',
        `a remote run needs --state-machine-arn (or MC_STATE_MACHINE_ARN), or ${missing.join(' and ')} to find the deployed machine`,
      );
    if (!/^\d{12}$/.test(account))
      throw new RemoteError('NO_TARGET', `account "${account}" is not a 12-digit AWS account id`);
    const name = stateMachineName(plan.pipeline, plan.env);
    machine = parseStateMachineArn(stateMachineArn(partitionOf(region), region, account, name));
  }
  const bucket =
    flags.evidenceBucket ??
    env.MC_EVIDENCE_BUCKET ??
    evidenceBucketName(machine.account, machine.region, plan.env);
  return { machine, bucket };
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * The run id (= execution name) and the execution input, the same document `mc run` hands the
 * local engine: run id, pipeline, env, github context, evidence location.
 */
export function remoteRunInput(
  plan: Plan,
  github: GithubContext,
  bucket: string,
  flags: RemoteFlags,
  env: Env,
  now: () => Date = () => new Date(),
): RunInput {
  const attemptText = env.GITHUB_RUN_ATTEMPT ?? '1';
  if (!/^[1-9]\d{0,8}$/.test(attemptText))
    throw new RemoteError('BAD_NAME', `GITHUB_RUN_ATTEMPT "${attemptText}" is not a positive whole number`);
  if (!github.sha)
    throw new RemoteError(
      'NO_COMMIT',
      'a remote run builds a commit, and none is known: run in a git checkout or set GITHUB_SHA',
    );
  const rerun = flags.rerun === true ? rerunId(now()) : flags.rerun || undefined;
  const runId = executionName({
    pipeline: plan.pipeline,
    commit: github.sha,
    attempt: Number(attemptText),
    rerun,
  });
  const evidence: EvidenceLocation = evidenceLocation(bucket, plan.pipeline, runId);
  return { runId, pipeline: plan.pipeline, env: plan.env, github, evidence };
}

/** A rerun id from the clock: UTC seconds in base 36 (7 characters until 2059). */
export function rerunId(at: Date): string {
  return Math.floor(at.getTime() / 1000).toString(36);
}
