import type { Command } from 'commander';
import { diagnosticEntry, formatDiagnostic } from '../pipeline/index.js';
import { analyzePipeline, type EnvName } from '../plan/index.js';
import { readInputFile } from './files.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { envOption, jsonOption } from './options.js';

interface ValidateOptions {
  readonly env: EnvName;
  readonly json?: boolean;
}

export function registerValidate(program: Command, io: CliIO, exit: (code: number) => void): void {
  program
    .command('validate')
    .description('check pipeline files against the schema, the planner and the supply-chain lint')
    .argument('<files...>', 'BuildPipeline files (build.yaml)')
    .addOption(envOption())
    .addOption(jsonOption())
    .addHelpText('after', '\nExit codes: 0 valid (warnings allowed), 1 invalid, 2 usage error.')
    .action((files: string[], options: ValidateOptions) => exit(validate(files, options, io)));
}

function validate(files: readonly string[], options: ValidateOptions, io: CliIO): number {
  const inputs = files.map((name) => readInputFile(io.cwd, name));
  const diagnostics = inputs.flatMap(
    (f) => analyzePipeline(f.display, f.text, { env: options.env }).diagnostics,
  );
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  if (options.json) {
    printJson(io, {
      valid: errors.length === 0,
      env: options.env,
      errors: errors.map(diagnosticEntry),
      warnings: warnings.map(diagnosticEntry),
    });
  } else {
    for (const d of diagnostics) io.stdout(`${formatDiagnostic(d)}\n`);
    const summary = `${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`;
    const verdict = errors.length === 0 ? 'valid' : 'invalid';
    io.stdout(`${inputs.map((f) => f.display).join(', ')}: ${verdict} for ${options.env} (${summary})\n`);
  }
  return errors.length === 0 ? EXIT.ok : EXIT.failed;
}
