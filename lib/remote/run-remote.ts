import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { compilePipeline } from '../../statemachines/index.js';
import type { RunInput } from '../contract/index.js';
import { githubContext } from '../local/index.js';
import type { BuildPipeline } from '../pipeline/index.js';
import type { Plan } from '../plan/index.js';
import { type SfnClient, s3ClientFromEnv } from './client.js';
import { writeRemoteRunOpening } from './evidence.js';
import { type RemoteStartResult, startRemoteRun } from './start.js';
import { type RemoteFlags, type RemoteTarget, remoteRunInput, resolveTarget } from './target.js';

export interface RemoteRunRequest {
  readonly file: string;
  /** The pipeline file's text as planned; read from `file` when not given. */
  readonly text?: string;
  readonly pipeline: BuildPipeline;
  readonly plan: Plan;
  readonly flags: RemoteFlags & { readonly force?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The client for the target's region. */
  readonly client: (region: string) => SfnClient;
  /** The S3 client for the target's region; by default one made from `env`, closed after the start. */
  readonly s3?: (region: string) => S3Client;
  readonly now?: () => Date;
}

export interface RemoteRunPrepared {
  readonly target: RemoteTarget;
  readonly input: RunInput;
  /** Starts it (drift check, the run's opening evidence, then the idempotent start). */
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
  const text = request.text ?? readFileSync(request.file, 'utf8');
  const definition = compilePipeline(plan);
  const start = async () => {
    const { region } = target.machine;
    const s3 = request.s3?.(region) ?? s3ClientFromEnv(region, env);
    try {
      return await startRemoteRun({
        sfn: request.client(region),
        machine: target.machine,
        definition,
        input,
        name: input.runId,
        force: flags.force,
        recordOpening: () =>
          writeRemoteRunOpening(s3, target.bucket, input.evidence.prefix, { text, plan, definition }),
      });
    } finally {
      if (!request.s3) s3.destroy();
    }
  };
  return { target, input, start };
}
