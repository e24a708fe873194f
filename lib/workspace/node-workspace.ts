import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_EVIDENCE_DIR, EVIDENCE } from '../evidence/index.js';
import type { Plan } from '../plan/index.js';
import { type RunDeps, succeedAttempt } from '../run/index.js';
import { type CacheOptions, type CacheState, restoreCaches, saveCaches } from './caches.js';
import { changedFiles, type Manifest, manifest } from './changes.js';
import { restoreAncestorOutputs, succeededAncestors } from './finished-ancestors.js';
import { saveOutputs } from './outputs.js';

/** What a build's workspace held after the restore: to tell later what the node changed. */
export interface RestoredWorkspace {
  readonly before: Manifest;
  readonly caches: readonly CacheState[];
}

/**
 * `mc-workspace restore`: restores the pipeline's caches into `dir` (which holds the run's source;
 * cache keys hash it), then lays the outputs of every node `node` depends on (directly or not, in
 * the plan's order) over it.
 */
export async function restoreNodeWorkspace(
  deps: RunDeps,
  plan: Plan,
  at: { runId: string; node: string; dir: string; caches: CacheOptions },
): Promise<RestoredWorkspace> {
  const caches = await restoreCaches(deps.evidence, plan, at.dir, at.caches);
  await restoreAncestorOutputs(deps, await succeededAncestors(deps, plan, at.runId, at.node), at.dir);
  return { before: manifest(at.dir), caches };
}

/**
 * `mc-workspace save` after a successful command: saves the caches missed at restore, stores the
 * files the node added or changed (its outputs, for its dependents) and records the node
 * SUCCEEDED, which releases its dependents.
 */
export async function saveNodeWorkspace(
  deps: RunDeps,
  plan: Plan,
  at: {
    runId: string;
    prefix: string;
    node: string;
    attempt: number;
    dir: string;
    restored: RestoredWorkspace;
    caches: CacheOptions;
    /** When the command started (a first attempt's replaces the count's time). */
    startedAt?: string;
    endedAt: string;
  },
): Promise<void> {
  await saveCaches(deps.evidence, plan, at.restored.caches, at.dir, {
    ...at.caches,
    savedBy: `${at.runId} ${at.node}`,
    now: deps.now(),
  });
  const files = changedFiles(at.dir, at.restored.before);
  await saveBuildEvidence(deps, at, files);
  const key = files.length ? `${at.prefix}${EVIDENCE.nodeOutputs(at.node, at.attempt)}` : undefined;
  if (key) await saveOutputs(deps.evidence, key, at.dir, files);
  await succeedAttempt(deps, at.runId, at.node, {
    outputs: key,
    endedAt: at.endedAt,
    ...(at.startedAt ? { startedAt: at.startedAt } : {}),
  });
}

// What the command wrote under .mc-evidence/ (an SBOM, scanner output) becomes evidence of the attempt.
async function saveBuildEvidence(
  deps: RunDeps,
  at: { prefix: string; node: string; attempt: number; dir: string },
  files: readonly string[],
): Promise<void> {
  const base = `${at.prefix}${EVIDENCE.nodeEvidence(at.node, at.attempt)}`;
  for (const file of files.filter((f) => f.startsWith(`${BUILD_EVIDENCE_DIR}/`)))
    await deps.evidence.putOnce(
      `${base}${file.slice(BUILD_EVIDENCE_DIR.length + 1)}`,
      readFileSync(join(at.dir, file)),
      file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
    );
}
