import { type Diagnostic, type LoadedPipeline, loadPipeline, sortDiagnostics } from '../pipeline/index.js';
import { buildPlan, type PlanOptions } from './build.js';
import { lintSupplyChain } from './lint.js';
import type { Plan } from './types.js';

export interface Analysis {
  readonly loaded: LoadedPipeline;
  /** Present when the file is valid and plans without errors. */
  readonly plan?: Plan;
  /** Every problem found, sorted by position: loading, schema, semantics, planning, lint. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Everything `mc validate` checks, for one file's text. */
export function analyzePipeline(file: string, text: string, options: PlanOptions = {}): Analysis {
  const loaded = loadPipeline(file, text);
  if (!loaded.pipeline) return { loaded, diagnostics: sortDiagnostics(loaded.diagnostics) };
  const { plan, issues } = buildPlan(loaded.pipeline, options);
  const lint = plan ? lintSupplyChain(loaded.pipeline, plan) : [];
  const located = [...issues, ...lint].map((i) => loaded.source.diagnostic(i.severity, i.pointer, i.message));
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...located]);
  const valid = !diagnostics.some((d) => d.severity === 'error');
  return { loaded, ...(plan && valid ? { plan } : {}), diagnostics };
}
