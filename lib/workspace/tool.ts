import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_NAMES, parseEvidenceUri } from '../contract/index.js';
import { McError } from '../errors/index.js';
import { EVIDENCE } from '../evidence/index.js';
import type { Plan } from '../plan/index.js';
import { beginAttempt, failureCause, type RunDeps } from '../run/index.js';
import type { CacheState } from './caches.js';
import { restoreNodeWorkspace, saveNodeWorkspace } from './node-workspace.js';

/** What restore leaves for save, in a file of the build's temp directory. */
interface SavedRestore {
  readonly attempt: number;
  readonly before: [string, string][];
  readonly caches: readonly CacheState[];
}

export class WorkspaceToolError extends McError<'USAGE' | 'NO_PLAN' | 'NO_RESTORE'> {}

/**
 * `mc-workspace restore|save`, as a stage build on AWS runs it (the buildspec the compiler
 * writes): the same workspace contract and attempt bookkeeping the local engine applies in-process.
 * `restore` runs in the build directory before the command; `save` runs in post_build, where
 * CODEBUILD_BUILD_SUCCEEDING tells whether the command passed.
 */
export async function workspaceTool(
  deps: RunDeps,
  command: string,
  env: Readonly<Record<string, string | undefined>>,
  dir: string,
): Promise<string> {
  const node = env.MC_NODE_ID;
  const location = parseEvidenceUri(env.MC_EVIDENCE ?? '');
  if (!node || !location)
    throw new WorkspaceToolError(
      'USAGE',
      'mc-workspace needs MC_NODE_ID and MC_EVIDENCE (s3://bucket/runs/<pipeline>/<runId>/)',
    );
  const { runId, prefix } = location;
  const stateFile = join(
    env.TMPDIR ?? tmpdir(),
    `mc-workspace-${createHash('sha256').update(`${runId}\0${node}`).digest('hex').slice(0, 16)}.json`,
  );
  // A build starts on a fresh machine: its home and absolute paths are cached too.
  const caches = { home: env.HOME ?? homedir(), machinePaths: true };
  const plan = await deps.evidence.getJson<Plan>(`${prefix}${EVIDENCE.plan}`);
  if (!plan) throw new WorkspaceToolError('NO_PLAN', `no plan.json under ${location.uri}`);
  if (command === 'restore') {
    const restored = await restoreNodeWorkspace(deps, plan, { runId, node, dir, caches });
    const begun = await beginAttempt(deps, runId, node);
    const attempt = begun.kind === 'run' ? begun.attempt : 0;
    const saved: SavedRestore = { attempt, before: [...restored.before], caches: restored.caches };
    writeFileSync(stateFile, JSON.stringify(saved));
    return begun.kind === 'run'
      ? `restored the workspace of ${node}; attempt ${attempt}`
      : `${node} succeeded earlier in this run`;
  }
  if (command === 'save') {
    let saved: SavedRestore;
    try {
      saved = JSON.parse(readFileSync(stateFile, 'utf8'));
    } catch (error) {
      throw new WorkspaceToolError(
        'NO_RESTORE',
        `mc-workspace save found no restore of ${node} in this build`,
        { cause: error },
      );
    }
    rmSync(stateFile, { force: true });
    const endedAt = deps.now().toISOString();
    if (saved.attempt === 0) return `${node} succeeded earlier in this run`;
    if (env.CODEBUILD_BUILD_SUCCEEDING !== '1') {
      await deps.state.endAttempt(runId, node, endedAt, {
        Error: ERROR_NAMES.stepFailed,
        Cause: failureCause(node, 'the build command failed'),
      });
      return `attempt ${saved.attempt} of ${node} failed`;
    }
    await saveNodeWorkspace(deps, plan, {
      runId,
      prefix,
      node,
      attempt: saved.attempt,
      dir,
      restored: { before: new Map(saved.before), caches: saved.caches },
      caches,
      endedAt,
    });
    return `saved the outputs of ${node}`;
  }
  throw new WorkspaceToolError(
    'USAGE',
    `unknown mc-workspace command "${command}"; expected restore or save`,
  );
}
