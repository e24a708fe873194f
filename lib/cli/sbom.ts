import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { generateNpmSbom, readSbom, validateSbom } from '../sbom/index.js';
import { UsageError } from './errors.js';
import { findExecutable } from './executables.js';
import { readInputFile } from './files.js';
import { type CliIO, count, EXIT, printJson } from './io.js';
import { jsonOption } from './options.js';
import { asUsage, asUsageAsync } from './policy-file.js';

interface SbomOptions {
  readonly output?: string;
  readonly generator: 'auto' | 'syft' | 'builtin';
  readonly includeDev?: boolean;
  readonly json?: boolean;
}

export function registerSbom(program: Command, io: CliIO, exit: (code: number) => void): void {
  const sbom = program
    .command('sbom')
    .description(
      'write a CycloneDX 1.6 JSON SBOM of a project (syft when installed, else the built-in npm generator)',
    )
    .argument('[dir]', 'the project directory', '.')
    .option('-o, --output <file>', 'write the SBOM here instead of stdout')
    .addOption(
      new Option(
        '--generator <name>',
        'auto: syft when on PATH, else built-in; syft: prefer syft; builtin: the npm generator',
      )
        .choices(['auto', 'syft', 'builtin'])
        .default('auto'),
    )
    .option('--include-dev', 'include devDependencies (built-in generator)')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nWith --json (and -o), stdout holds {"file", "generator", "components"}.\nExit codes: 0 written, 1 the generator failed, 2 usage error (no package-lock.json, bad option).',
    )
    .action((dir: string, options: SbomOptions) => exit(writeSbom(dir, options, io)));
  sbom
    .command('validate')
    .description('validate CycloneDX 1.4–1.6 JSON against the official schema, or check SPDX 2.3 JSON')
    .argument('<file>', 'the SBOM file')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nExit codes: 0 valid, 1 invalid, 2 usage error (unreadable file, not an SBOM format mc reads).',
    )
    .action(async (file: string, options: { json?: boolean }) => exit(await validate(file, options, io)));
}

function writeSbom(dir: string, options: SbomOptions, io: CliIO): number {
  const root = resolve(io.cwd, dir);
  if (!existsSync(root)) throw new UsageError(`no directory ${dir}`);
  const syft = options.generator === 'builtin' ? undefined : findExecutable('syft', io.env);
  let text: string;
  let generator: string;
  if (syft) {
    text = execFileSync(syft, ['scan', `dir:${root}`, '-o', 'cyclonedx-json@1.6', '-q'], {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      env: io.env as NodeJS.ProcessEnv,
    });
    generator = 'syft';
  } else {
    text = asUsage(() => generateNpmSbom(root, { includeDev: options.includeDev })).json;
    generator =
      options.generator === 'builtin'
        ? 'built-in npm generator'
        : 'built-in npm generator (syft is not installed)';
  }
  const components = readSbom(text, dir).components.length;
  if (options.output) {
    const out = resolve(io.cwd, options.output);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text.endsWith('\n') ? text : `${text}\n`);
    if (options.json) printJson(io, { file: options.output, generator, components });
    io.stderr(
      `mc sbom: wrote ${options.output} (CycloneDX, ${components} components) with the ${generator}\n`,
    );
  } else {
    io.stdout(text.endsWith('\n') ? text : `${text}\n`);
    io.stderr(`mc sbom: ${count(components, 'component')}, with the ${generator}\n`);
  }
  return EXIT.ok;
}

async function validate(name: string, options: { json?: boolean }, io: CliIO): Promise<number> {
  const file = readInputFile(io.cwd, name);
  const result = await asUsageAsync(() => validateSbom(file.text, file.display));
  if (options.json) printJson(io, { file: file.display, ...result });
  else {
    const what = `${result.format === 'cyclonedx' ? 'CycloneDX' : 'SPDX'} ${result.specVersion}, ${count(result.components, 'component')}`;
    if (result.valid) io.stdout(`${file.display}: valid ${what}\n`);
    else {
      for (const error of result.errors) io.stdout(`${file.display}: ${error}\n`);
      io.stdout(
        `${file.display}: invalid ${what} (${result.errors.length} error${result.errors.length === 1 ? '' : 's'})\n`,
      );
    }
  }
  return result.valid ? EXIT.ok : EXIT.failed;
}
