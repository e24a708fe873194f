import { diagnosticEntry, formatDiagnostic } from '../pipeline/index.js';
import { type Analysis, analyzePipeline, type EnvName, type Plan } from '../plan/index.js';
import { type InputFile, readInputFile } from './files.js';
import { type CliIO, printJson } from './io.js';

/**
 * Reads and plans a pipeline file for the commands that need a plan (plan, render, run). On
 * errors, prints them (as a JSON document with --json) and returns undefined; warnings go to
 * stderr either way.
 */
export function planFile(
  io: CliIO,
  name: string,
  options: { env: EnvName; json?: boolean },
): { input: InputFile; analysis: Analysis; plan: Plan } | undefined {
  const input = readInputFile(io.cwd, name);
  const analysis = analyzePipeline(input.display, input.text, { env: options.env });
  if (!analysis.plan) {
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
    if (options.json) printJson(io, { valid: false, errors: errors.map(diagnosticEntry) });
    else for (const d of errors) io.stderr(`${formatDiagnostic(d)}\n`);
    return undefined;
  }
  for (const d of analysis.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
  return { input, analysis, plan: analysis.plan };
}
