import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseDocument } from 'yaml';
import { diagnosticEntry, formatDiagnostic, loadPipeline } from '../pipeline/index.js';
import { UsageError } from './errors.js';
import { readInputFile } from './files.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { jsonOption } from './options.js';

/** Keeps flow collections as people write them (`[a, b]`, not `[ a, b ]`). */
export const YAML_OUTPUT = { flowCollectionPadding: false, lineWidth: 0 } as const;

interface MigrateOptions {
  readonly output?: string;
  readonly write?: boolean;
  readonly json?: boolean;
}

export function registerMigrate(program: Command, io: CliIO, exit: (code: number) => void): void {
  program
    .command('migrate')
    .description('rewrite a 27.0 pipeline in the current 27.1 format, keeping comments')
    .argument('<file>', 'BuildPipeline file')
    .option('-o, --output <file>', 'write the result to this file instead of stdout')
    .option('-w, --write', 'rewrite the file in place')
    .addOption(jsonOption())
    .addHelpText('after', '\nExit codes: 0 migrated (or already current), 1 invalid pipeline, 2 usage error.')
    .action((file: string, options: MigrateOptions) => exit(migrate(file, options, io)));
}

function migrate(name: string, options: MigrateOptions, io: CliIO): number {
  if (options.output && options.write) throw new UsageError('use either --output or --write, not both');
  const input = readInputFile(io.cwd, name);
  const loaded = loadPipeline(input.display, input.text, { migrating: true });
  if (!loaded.pipeline) {
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (options.json) printJson(io, { migrated: false, errors: errors.map(diagnosticEntry) });
    else for (const d of errors) io.stderr(`${formatDiagnostic(d)}\n`);
    return EXIT.failed;
  }
  // Apply the same edits to the YAML document so comments and layout survive.
  const doc = parseDocument(input.text);
  for (const change of loaded.migration) doc.setIn(change.path, change.value);
  const text = loaded.migration.length ? doc.toString(YAML_OUTPUT) : input.text;
  const target = options.write ? input.path : options.output ? resolve(io.cwd, options.output) : undefined;
  if (target) writeFileSync(target, text);
  const changes = loaded.migration.map((c) => ({ path: c.path.join('.'), value: c.value, reason: c.reason }));
  if (options.json) {
    printJson(io, {
      file: input.display,
      from: loaded.sourceVersion,
      to: loaded.pipeline.metadata.version,
      changes,
      output: target ?? null,
      ...(target ? {} : { document: text }),
    });
  } else {
    for (const c of changes) io.stderr(`${input.display}: ${c.path}: ${c.reason}\n`);
    if (changes.length === 0)
      io.stderr(`${input.display}: already ${loaded.sourceVersion}, nothing to migrate\n`);
    if (target) io.stderr(`wrote ${target}\n`);
    else io.stdout(text);
  }
  return EXIT.ok;
}
