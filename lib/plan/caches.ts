import { ExpressionError, interpolate } from '../expr/index.js';
import { type BuildPipeline, joinPointer } from '../pipeline/index.js';
import type { PlanCache, PlanIssue } from './types.js';

/**
 * `spec.cache` for the run: plan-time expressions in each key substituted, `hashFiles()` left for
 * the build (it hashes the source the build starts from), paths checked. Sorted by name.
 */
export function planCaches(
  caches: BuildPipeline['spec']['cache'],
  scope: Record<string, unknown>,
  issues: PlanIssue[],
): PlanCache[] {
  const planned: PlanCache[] = [];
  for (const [name, entry] of Object.entries(caches ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const at = joinPointer('/spec/cache', name);
    let key: string;
    try {
      const { value, deferred } = interpolate(entry.key, scope);
      // What is left is evaluated in the build with hashFiles() alone: no variables there.
      const withVariables = deferred.find((e) => e.variables.size > 0);
      if (withVariables) {
        issues.push({
          severity: 'error',
          pointer: joinPointer(at, 'key'),
          message: `a cache key's hashFiles() expressions cannot use variables (${withVariables.source}); github.* is not allowed and other values go in a \${{ }} of their own`,
        });
        continue;
      }
      key = typeof value === 'string' ? value : JSON.stringify(value);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      issues.push({ severity: 'error', pointer: joinPointer(at, 'key'), message: error.message });
      continue;
    }
    entry.paths.forEach((path, i) => {
      if (!path.startsWith('/') && !path.startsWith('~/') && path.split('/').includes('..'))
        issues.push({
          severity: 'error',
          pointer: joinPointer(at, 'paths', i),
          message: `cache path ${path} leaves the workspace; use a path inside it, ~/… or an absolute path`,
        });
    });
    planned.push({ name, key, paths: entry.paths });
  }
  return planned;
}
