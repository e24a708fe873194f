export {
  type Diagnostic,
  diagnosticEntry,
  formatDiagnostic,
  hasErrors,
  type Severity,
  sortDiagnostics,
} from './diagnostic.js';
export { durationSeconds } from './duration.js';
export { type LoadedPipeline, loadPipeline } from './load.js';
export { type MigrationChange, migratePipeline, migrationChanges } from './migrate.js';
export { escapeSegment, joinPointer, splitPointer } from './pointer.js';
export { buildPipelineSchema } from './schema.js';
export { fieldName } from './schema-errors.js';
export { MAX_ALIAS_COUNT, MAX_SOURCE_BYTES, type Position, parseSource, SourceDocument } from './source.js';

export type * from './types.generated.js';
export { CURRENT_VERSION, isLegacyVersion } from './versions.js';
export { forEachString } from './walk.js';
