import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { aslToMermaid, compilePipeline, definitionSizeWarning } from '../../statemachines/index.js';
import type { EnvName } from '../plan/index.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { envOption, jsonOption } from './options.js';
import { planFile } from './plan-file.js';

interface RenderOptions {
  readonly env: EnvName;
  readonly output?: string;
  readonly format: 'asl' | 'mermaid';
  readonly json?: boolean;
}

export function registerRender(program: Command, io: CliIO, exit: (code: number) => void): void {
  program
    .command('render')
    .description('compile a pipeline into its AWS Step Functions definition (Amazon States Language)')
    .argument('<file>', 'BuildPipeline file')
    .addOption(envOption())
    .option('-o, --output <file>', 'write the definition to this file instead of stdout')
    .addOption(
      new Option('-f, --format <format>', 'asl (JSON) or a mermaid flowchart')
        .choices(['asl', 'mermaid'])
        .default('asl'),
    )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nThe same definition runs on AWS (after the CDK stack maps its function names) and under mc run.\nExit codes: 0 rendered, 1 invalid pipeline, 2 usage error.',
    )
    .action((file: string, options: RenderOptions) => exit(render(file, options, io)));
}

function render(name: string, options: RenderOptions, io: CliIO): number {
  const planned = planFile(io, name, options);
  if (!planned) return EXIT.failed;
  const definition = compilePipeline(planned.plan);
  const tooLarge = definitionSizeWarning(definition);
  if (tooLarge) io.stderr(`${planned.input.display}: warning: ${tooLarge}\n`);
  const text =
    options.format === 'mermaid' ? aslToMermaid(definition) : `${JSON.stringify(definition, null, 2)}\n`;
  const output = options.output ? resolve(io.cwd, options.output) : undefined;
  if (output) writeFileSync(output, text);
  if (options.json) {
    printJson(io, {
      pipeline: planned.plan.pipeline,
      env: planned.plan.env,
      format: options.format,
      bytes: Buffer.byteLength(JSON.stringify(definition)),
      output: output ?? null,
      ...(output ? {} : options.format === 'asl' ? { definition } : { mermaid: text }),
    });
  } else if (output) {
    io.stderr(`wrote ${output}\n`);
  } else {
    io.stdout(text);
  }
  return EXIT.ok;
}
