import { type Command, Option } from 'commander';
import { diagnosticEntry, formatDiagnostic } from '../pipeline/index.js';
import { analyzePipeline, type EnvName, formatPlan, type PlanFormat, planDocument } from '../plan/index.js';
import { readInputFile } from './files.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { envOption, jsonOption } from './options.js';

interface PlanCommandOptions {
  readonly env: EnvName;
  readonly json?: boolean;
  readonly format: PlanFormat;
}

export function registerPlan(program: Command, io: CliIO, exit: (code: number) => void): void {
  program
    .command('plan')
    .description('compile a pipeline into its DAG of nodes for one environment')
    .argument('<file>', 'BuildPipeline file')
    .addOption(envOption())
    .addOption(jsonOption())
    .addOption(
      new Option('-f, --format <format>', 'text output format')
        .choices(['text', 'mermaid', 'dot'])
        .default('text'),
    )
    .addHelpText('after', '\nExit codes: 0 planned, 1 invalid pipeline, 2 usage error.')
    .action((file: string, options: PlanCommandOptions) => exit(plan(file, options, io)));
}

function plan(name: string, options: PlanCommandOptions, io: CliIO): number {
  const input = readInputFile(io.cwd, name);
  const analysis = analyzePipeline(input.display, input.text, { env: options.env });
  if (!analysis.plan) {
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
    if (options.json) printJson(io, { valid: false, errors: errors.map(diagnosticEntry) });
    else for (const d of errors) io.stderr(`${formatDiagnostic(d)}\n`);
    return EXIT.failed;
  }
  for (const d of analysis.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
  if (options.json) printJson(io, planDocument(analysis.plan));
  else io.stdout(formatPlan(analysis.plan, options.format));
  return EXIT.ok;
}
