import { dirname, resolve } from 'node:path';
import { compilePipeline } from '../../statemachines/index.js';
import type { RunInput } from '../contract/index.js';
import { githubContext } from '../local/index.js';
import type { BuildPipeline } from '../pipeline/index.js';
import type { Plan } from '../plan/index.js';
import type { SfnClient } from './client.js';
import { type RemoteStartResult, startRemoteRun } from './start.js';
import { type RemoteFlags, type RemoteTarget, remoteRunInput, resolveTarget } from './target.js';

export interface RemoteRunRequest {
  readonly file: string;
  readonly pipeline: BuildPipeline;
  readonly plan: Plan;
  readonly flags: RemoteFlags & { readonly force?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The client for the target's region. */
  readonly client: (region: string) => SfnClient;
  readonly now?: () => Date;
}

export interface RemoteRunPrepared {
  readonly target: RemoteTarget;
  readonly input: RunInput;
  /** Starts it (drift check, then the idempotent start). */
  readonly start: () => Promise<RemoteStartResult>;
}

/**
 * `mc run --remote`, before anything is sent: the target machine and the execution input (as the
 * local engine would build it, with the github context of the checkout the file lives in).
 */
export function prepareRemoteRun(request: RemoteRunRequest): RemoteRunPrepared {
  const { plan, flags, env } = request;
  const target = resolveTarget(plan, flags, env);
  const workspaceRoot = resolve(dirname(request.file), request.pipeline.spec.workspace ?? '.');
  const input = remoteRunInput(
    plan,
    githubContext(workspaceRoot, env),
    target.bucket,
    flags,
    env,
    request.now,
  );
  return {
    target,
    input,
    start: () =>
      startRemoteRun({
        sfn: request.client(target.machine.region),
        machine: target.machine,
        definition: compilePipeline(plan),
        input,
        name: input.runId,
        force: flags.force,
      }),
  };
}
