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
  readonly archives: readonly {
    readonly path: string;
    readonly index: number;
    readonly kind: 'dir' | 'file';
  }[];
  readonly savedBy: string;
  readonly savedAt: string;
}

/**
 * Caches live beside the runs in the evidence bucket, one folder per pipeline, name and key
 * (hashed: keys are free text). A key's content never changes once saved: the first build to
 * save it wins, as in GitHub Actions.
 */
export function cachePrefix(pipeline: string, name: string, key: string): string {
  return `caches/${pipeline}/${name}/${createHash('sha256').update(key).digest('hex')}/`;
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
    const prefix = cachePrefix(plan.pipeline, cache.name, key);
    const marker = await evidence.getJson<CacheMarker>(`${prefix}cache.json`);
    if (marker) {
      for (const archive of marker.archives) {
        const target = resolvePath(archive.path, dir, options);
        const bytes = target ? await evidence.get(`${prefix}${archive.index}.tgz`) : undefined;
        if (!target || !bytes) continue;
        const root = archive.kind === 'dir' ? target : dirname(target);
        mkdirSync(root, { recursive: true });
        await unpack(bytes, root);
      }
    }
    states.push({ name: cache.name, key, hit: marker !== undefined });
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
    const prefix = cachePrefix(plan.pipeline, cache.name, state.key);
    if (state.hit || (await evidence.exists(`${prefix}cache.json`))) continue;
    const archives: CacheMarker['archives'][number][] = [];
    for (const [index, path] of cache.paths.entries()) {
      const target = resolvePath(path, dir, options);
      if (!target || !existsSync(target)) continue;
      const kind = statSync(target).isDirectory() ? 'dir' : 'file';
      const bytes =
        kind === 'dir'
          ? await pack(target, [''], true)
          : await pack(dirname(target), [basename(target)], true);
      await evidence.putOnce(`${prefix}${index}.tgz`, bytes, 'application/gzip');
      archives.push({ path, index, kind });
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
