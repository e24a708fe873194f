import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import type { Plan } from '../plan/index.js';
import type { RunDeps } from '../run/index.js';
import { ancestorsInOrder } from './ancestors.js';
import { restoreAncestorOutputs, type SucceededAncestor } from './finished-ancestors.js';

/**
 * The files of the artifacts that the nodes `node` depends on declared (`artifacts:`), as those
 * nodes (`succeeded`: its ancestors that succeeded) left them (their outputs, applied in plan order, as a build would see them). A declared
 * directory gives every file under it. `only` narrows to these declared paths. Missing declared
 * artifacts are listed, not skipped silently.
 */
export async function dependencyArtifacts(
  deps: RunDeps,
  plan: Plan,
  node: string,
  succeeded: readonly SucceededAncestor[],
  only?: readonly string[],
): Promise<{ files: Map<string, Buffer>; missing: string[] }> {
  const ancestors = ancestorsInOrder(plan, node);
  const declared = [
    ...new Set(plan.nodes.filter((n) => ancestors.includes(n.id)).flatMap((n) => n.artifacts)),
  ]
    .map(normalize)
    .filter((a) => !only || only.map(normalize).includes(a));
  const files = new Map<string, Buffer>();
  if (!declared.length) return { files, missing: only ? only.map(normalize) : [] };
  const dir = mkdtempSync(join(tmpdir(), 'mc-artifacts-'));
  try {
    await restoreAncestorOutputs(deps, succeeded, dir);
    const missing: string[] = [];
    for (const artifact of declared) {
      const target = resolve(dir, artifact);
      // Planning refuses such paths; a plan.json changed afterwards must not reach outside either.
      if (!target.startsWith(dir + sep)) {
        missing.push(artifact);
        continue;
      }
      const found = filesUnder(target);
      if (!found.length) missing.push(artifact);
      for (const file of found) files.set(relative(dir, file).split(sep).join('/'), readFileSync(file));
    }
    if (only) missing.push(...only.map(normalize).filter((a) => !declared.includes(a)));
    return { files, missing };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function normalize(path: string): string {
  return path.replace(/^\.\//, '').replace(/\/+$/, '');
}

function filesUnder(path: string): string[] {
  let stats: ReturnType<typeof lstatSync>;
  try {
    // lstat: a symbolic link in the outputs is not followed out of them.
    stats = lstatSync(path);
  } catch {
    return [];
  }
  if (stats.isFile()) return [path];
  if (!stats.isDirectory()) return [];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => filesUnder(join(path, entry)));
}
