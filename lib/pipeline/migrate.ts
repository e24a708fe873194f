import type { BuildPipeline } from './types.generated.js';
import { CURRENT_VERSION, isLegacyVersion } from './versions.js';

/** One edit the migration makes, as a path into the document and the value set there. */
export interface MigrationChange {
  readonly path: readonly string[];
  readonly value: unknown;
  readonly reason: string;
}

/**
 * The edits that turn a 27.0 pipeline into 27.1. Expressed as data so the same edits apply to
 * the in-memory object (every load) and to the YAML document with its comments (`mc migrate`).
 */
export function migrationChanges(pipeline: BuildPipeline): MigrationChange[] {
  if (!isLegacyVersion(pipeline.metadata.version)) return [];
  const changes: MigrationChange[] = [
    {
      path: ['metadata', 'version'],
      value: CURRENT_VERSION,
      reason: `version ${pipeline.metadata.version} → ${CURRENT_VERSION}`,
    },
  ];
  if (pipeline.spec.workspace?.startsWith('/')) {
    changes.push({
      path: ['spec', 'workspace'],
      value: '.',
      reason: `27.0 named the build container's directory (${pipeline.spec.workspace}); 27.1 names a directory relative to the file`,
    });
  }
  if (pipeline.spec.fail_fast === undefined) {
    changes.push({
      path: ['spec', 'fail_fast'],
      value: true,
      reason:
        '27.0 pipelines always stopped at the first failure; 27.1 makes that explicit with fail_fast: true',
    });
  }
  return changes;
}

/** A migrated copy; the input is not modified. */
export function migratePipeline(pipeline: BuildPipeline): {
  pipeline: BuildPipeline;
  changes: MigrationChange[];
} {
  const changes = migrationChanges(pipeline);
  const copy = structuredClone(pipeline);
  for (const change of changes) setIn(copy as unknown as Record<string, unknown>, change.path, change.value);
  return { pipeline: copy, changes };
}

function setIn(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1]] = value;
}
