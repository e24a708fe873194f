import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { parseDocument } from 'yaml';
import { packagePath } from '../paths/index.js';
import { formatDiagnostic } from '../pipeline/index.js';
import { analyzePipeline } from '../plan/index.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { YAML_OUTPUT } from './migrate.js';
import { jsonOption } from './options.js';

export const PROJECT_TYPES = ['api', 'gateway', 'web', 'nlq'] as const;

interface InitOptions {
  readonly type: (typeof PROJECT_TYPES)[number];
  readonly dir: string;
  readonly force?: boolean;
  readonly json?: boolean;
}

export function registerInit(program: Command, io: CliIO, exit: (code: number) => void): void {
  program
    .command('init')
    .description('write a starter build.yaml for a kind of project')
    .addOption(new Option('-t, --type <type>', 'kind of project').choices(PROJECT_TYPES).default('api'))
    .option('-d, --dir <dir>', 'directory to write build.yaml into', '.')
    .option('--force', 'overwrite an existing build.yaml')
    .addOption(jsonOption())
    .addHelpText('after', '\nExit codes: 0 written, 1 build.yaml exists (use --force), 2 usage error.')
    .action((options: InitOptions) => exit(init(options, io)));
}

function init(options: InitOptions, io: CliIO): number {
  const dir = resolve(io.cwd, options.dir);
  const file = join(dir, 'build.yaml');
  const shown = relative(io.cwd, file) || file;
  if (existsSync(file) && !options.force) {
    const message = `${shown} already exists; use --force to overwrite it`;
    if (options.json) printJson(io, { written: false, file: shown, error: message });
    else io.stderr(`mc init: ${message}\n`);
    return EXIT.failed;
  }
  // The shipped examples are the templates: they are validated, planned and run by the tests.
  const doc = parseDocument(readFileSync(packagePath('examples', options.type, 'build.yaml'), 'utf8'));
  doc.setIn(['metadata', 'name'], projectName(dir, options.type));
  const text = doc.toString(YAML_OUTPUT);
  const { diagnostics } = analyzePipeline(shown, text);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, text);
  if (options.json) printJson(io, { written: true, file: shown, type: options.type });
  else {
    for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
    io.stdout(`wrote ${shown} (${options.type}); next: mc validate ${shown} && mc plan ${shown}\n`);
  }
  return EXIT.ok;
}

// A valid metadata.name from the directory name, or the project type when nothing usable is left.
function projectName(dir: string, fallback: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name || fallback;
}
