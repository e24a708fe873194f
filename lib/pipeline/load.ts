import { type Diagnostic, hasErrors } from './diagnostic.js';
import { type MigrationChange, migratePipeline } from './migrate.js';
import { pipelineValidator } from './schema.js';
import { schemaDiagnostics } from './schema-errors.js';
import { semanticDiagnostics } from './semantics.js';
import { parseSource, type SourceDocument } from './source.js';
import type { BuildPipeline } from './types.generated.js';

export interface LoadedPipeline {
  readonly file: string;
  readonly source: SourceDocument;
  /** The pipeline in the current format (27.1), present when there are no errors. */
  readonly pipeline?: BuildPipeline;
  /** The version written in the file. */
  readonly sourceVersion?: string;
  readonly migration: readonly MigrationChange[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface LoadOptions {
  /** For `mc migrate`: a 27.0 file may already use 27.1 fields (migrating is what it asks for). */
  readonly migrating?: boolean;
}

/** YAML text → validated, migrated BuildPipeline, with every problem found at once. */
export function loadPipeline(file: string, text: string, options: LoadOptions = {}): LoadedPipeline {
  const parsed = parseSource(file, text);
  const { source } = parsed;
  const diagnostics = [...parsed.diagnostics];
  const done = (extra: Partial<LoadedPipeline> = {}): LoadedPipeline => ({
    file,
    source,
    migration: [],
    diagnostics,
    ...extra,
  });
  if (hasErrors(diagnostics)) return done();
  const validate = pipelineValidator();
  if (!validate(parsed.value)) {
    diagnostics.push(...schemaDiagnostics(validate.errors ?? [], source));
    return done();
  }
  const original = parsed.value;
  diagnostics.push(...semanticDiagnostics(original, source, options));
  if (hasErrors(diagnostics)) return done({ sourceVersion: original.metadata.version });
  const { pipeline, changes } = migratePipeline(original);
  return done({ pipeline, sourceVersion: original.metadata.version, migration: changes });
}
