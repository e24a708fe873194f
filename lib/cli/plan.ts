import { type Command, Option } from 'commander';
import { type EnvName, formatPlan, type PlanFormat, planDocument } from '../plan/index.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { envOption, jsonOption } from './options.js';
import { planFile } from './plan-file.js';

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
  const planned = planFile(io, name, options);
  if (!planned) return EXIT.failed;
  if (options.json) printJson(io, planDocument(planned.plan));
  else io.stdout(formatPlan(planned.plan, options.format));
  return EXIT.ok;
}
