import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { EvidenceStore } from '../evidence/index.js';
import { createEnvironment, renderAtRun } from '../expr/index.js';
import type { Plan, PlanCache } from '../plan/index.js';
import { hashFilesIn } from './hash-files.js';
import { pack, unpack } from './outputs.js';

export interface CacheOptions {
  /** The build's home directory, for `~/…` paths. */
  readonly home: string;
  /**
   * Whether paths outside the workspace (`~/…`, absolute) are restored and saved: yes in a
   * CodeBuild build, which starts on a fresh machine; no locally, where they are the machine's own
   * directories, kept between builds anyway and not ours to overwrite.
   */
  readonly machinePaths: boolean;
}

/** A cache as a build found it: its key (hashFiles() evaluated) and whether it was restored. */
export interface CacheState {
  readonly name: string;
  readonly key: string;
  readonly hit: boolean;
}

/** What `cache.json` (written last, so its presence means the archives are complete) records. */
interface CacheMarker {
  readonly key: string;
  /** The archive of the plan's path at `index`, stored under `object` (relative to the prefix). */
  readonly archives: readonly {
    readonly index: number;
    readonly kind: 'dir' | 'file';
    readonly object: string;
  }[];
  readonly savedBy: string;
  readonly savedAt: string;
}

/**
 * Caches live beside the runs in the evidence bucket, one folder per pipeline, environment, name
 * and key (hashed: keys are free text), so a dev run never seeds what a prod run restores. A
 * key's content never changes once saved: the first build whose marker lands wins.
 */
export function cachePrefix(pipeline: string, env: string, name: string, key: string): string {
  return `caches/${pipeline}/${env}/${name}/${createHash('sha256').update(key).digest('hex')}/`;
}

/**
 * Restores every cache of the plan whose key was saved before into `dir` (the workspace, holding
 * the source the build starts from, which is what hashFiles() hashes).
 */
export async function restoreCaches(
  evidence: EvidenceStore,
  plan: Plan,
  dir: string,
  options: CacheOptions,
): Promise<CacheState[]> {
  const caches = plan.caches ?? [];
  if (!caches.length) return [];
  const environment = createEnvironment(hashFilesIn(dir));
  const states: CacheState[] = [];
  for (const cache of caches) {
    const key = renderAtRun(cache.key, environment);
    const prefix = cachePrefix(plan.pipeline, plan.env, cache.name, key);
    const marker = await evidence.getJson<CacheMarker>(`${prefix}cache.json`);
    let hit = marker !== undefined;
    for (const archive of marker?.archives ?? []) {
      // The plan's own path at that index: never a path the stored marker names.
      const path = cache.paths[archive.index];
      const target = path === undefined ? undefined : resolvePath(path, dir, options);
      if (!target) continue;
      const bytes = await evidence.get(`${prefix}${archive.object}`);
      if (!bytes) {
        hit = false;
        continue;
      }
      const root = archive.kind === 'dir' ? target : dirname(target);
      mkdirSync(root, { recursive: true });
      await unpack(bytes, root);
    }
    states.push({ name: cache.name, key, hit });
  }
  return states;
}

/**
 * After a successful command: saves the caches that were missed at restore and that no other
 * build has saved since, from the paths that exist. `savedBy` names the run and node.
 */
export async function saveCaches(
  evidence: EvidenceStore,
  plan: Plan,
  states: readonly CacheState[],
  dir: string,
  options: CacheOptions & { readonly savedBy: string; readonly now: Date },
): Promise<string[]> {
  const saved: string[] = [];
  const byName = new Map((plan.caches ?? []).map((c) => [c.name, c]));
  for (const state of states) {
    const cache = byName.get(state.name) as PlanCache;
    const prefix = cachePrefix(plan.pipeline, plan.env, cache.name, state.key);
    if (state.hit || (await evidence.exists(`${prefix}cache.json`))) continue;
    // Each writer's archives under its own folder: the marker (written once) names the winner's.
    const writer = createHash('sha256').update(options.savedBy).digest('hex').slice(0, 16);
    const archives: CacheMarker['archives'][number][] = [];
    for (const [index, path] of cache.paths.entries()) {
      const target = resolvePath(path, dir, options);
      if (!target || !existsSync(target)) continue;
      const kind = statSync(target).isDirectory() ? 'dir' : 'file';
      const bytes =
        kind === 'dir'
          ? await pack(target, [''], true)
          : await pack(dirname(target), [basename(target)], true);
      const object = `${writer}/${index}.tgz`;
      await evidence.putOnce(`${prefix}${object}`, bytes, 'application/gzip');
      archives.push({ index, kind, object });
    }
    if (!archives.length) continue;
    const marker: CacheMarker = {
      key: state.key,
      archives,
      savedBy: options.savedBy,
      savedAt: options.now.toISOString(),
    };
    if (await evidence.putJsonOnce(`${prefix}cache.json`, marker)) saved.push(cache.name);
  }
  return saved;
}

// Where a cache path lives in this build; undefined for a machine path the build leaves alone.
function resolvePath(path: string, dir: string, options: CacheOptions): string | undefined {
  if (path === '~' || path.startsWith('~/'))
    return options.machinePaths ? join(options.home, path.slice(1)) : undefined;
  if (isAbsolute(path)) return options.machinePaths ? path : undefined;
  return join(dir, path);
}
