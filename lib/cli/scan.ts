import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { parseFindingsFile, SEVERITIES } from '../gate/index.js';
import { UsageError } from './errors.js';
import { findExecutable } from './executables.js';
import { type CliIO, count, EXIT, printJson } from './io.js';
import { jsonOption } from './options.js';

type Scanner = 'auto' | 'trivy' | 'grype' | 'npm-audit';

interface ScanOptions {
  readonly output?: string;
  readonly scanner: Scanner;
  readonly json?: boolean;
}

export function registerScan(program: Command, io: CliIO, exit: (code: number) => void): void {
  program
    .command('scan')
    .description(
      "scan a project for known vulnerabilities with trivy or grype when installed, else npm audit for npm projects; writes the scanner's own JSON, which mc gate reads",
    )
    .argument('[dir]', 'the project directory', '.')
    .option('-o, --output <file>', 'write the scanner output here instead of stdout')
    .addOption(
      new Option(
        '--scanner <name>',
        'auto: trivy, then grype, then npm audit; trivy/grype: that one, npm audit when it is absent',
      )
        .choices(['auto', 'trivy', 'grype', 'npm-audit'])
        .default('auto'),
    )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nFindings do not fail the scan: the gate decides. With --json (and -o), stdout holds {"file", "scanner", "findings", "bySeverity"}.\nExit codes: 0 scanned, 1 the scanner failed or none is available, 2 usage error.',
    )
    .action((dir: string, options: ScanOptions) => exit(scan(dir, options, io)));
}

function scan(dir: string, options: ScanOptions, io: CliIO): number {
  const root = resolve(io.cwd, dir);
  if (!existsSync(root)) throw new UsageError(`no directory ${dir}`);
  const chosen = chooseScanner(options.scanner, root, io);
  if ('error' in chosen) {
    io.stderr(`mc scan: ${chosen.error}\n`);
    return EXIT.failed;
  }
  const run = spawnSync(chosen.argv[0], chosen.argv.slice(1), {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: io.env as NodeJS.ProcessEnv,
  });
  const text = run.stdout ?? '';
  let findings: ReturnType<typeof parseFindingsFile>;
  try {
    // npm audit exits 1 when it finds something: its JSON decides, not its exit code.
    findings = parseFindingsFile(`${chosen.name} output`, text);
  } catch {
    // The scanner failed (npm audit without its advisory service, a crash): say what it said.
    const said = scannerError(text) ?? (run.stderr ?? '').trim().split('\n').slice(-5).join('\n');
    io.stderr(
      `mc scan: ${chosen.name} failed (exit ${run.status ?? run.signal})${said ? `: ${said}` : ''}\n`,
    );
    return EXIT.failed;
  }
  const bySeverity: Record<string, number> = {};
  for (const f of findings.findings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
  const counts = [...SEVERITIES]
    .reverse()
    .filter((s) => bySeverity[s])
    .map((s) => `${bySeverity[s]} ${s}`)
    .join(', ');
  const summary = `${count(findings.findings.length, 'finding')}${counts ? ` (${counts})` : ''} by ${chosen.name}${chosen.note ? ` (${chosen.note})` : ''}`;
  if (options.output) {
    const out = resolve(io.cwd, options.output);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
    if (options.json)
      printJson(io, {
        file: options.output,
        scanner: chosen.name,
        findings: findings.findings.length,
        bySeverity,
      });
    io.stderr(`mc scan: wrote ${options.output}: ${summary}\n`);
  } else {
    io.stdout(text);
    io.stderr(`mc scan: ${summary}\n`);
  }
  return EXIT.ok;
}

type Choice = { name: string; argv: string[]; note?: string } | { error: string };

function chooseScanner(wanted: Scanner, root: string, io: CliIO): Choice {
  const trivy = findExecutable('trivy', io.env);
  const grype = findExecutable('grype', io.env);
  if ((wanted === 'trivy' || wanted === 'auto') && trivy)
    return { name: 'trivy', argv: [trivy, 'fs', '--format', 'json', '--quiet', root] };
  if ((wanted === 'grype' || wanted === 'auto') && grype)
    return { name: 'grype', argv: [grype, `dir:${root}`, '-o', 'json', '-q'] };
  const absent =
    wanted === 'auto'
      ? 'trivy and grype are not installed'
      : wanted === 'npm-audit'
        ? undefined
        : `${wanted} is not installed`;
  const npm = findExecutable('npm', io.env);
  if (!existsSync(join(root, 'package-lock.json')))
    return {
      error: `${absent ? `${absent}, and ` : ''}npm audit needs a package-lock.json, which ${root} does not have; install trivy or grype${wanted === 'npm-audit' ? ', or run npm install --package-lock-only' : ''}`,
    };
  if (!npm) return { error: `${absent ? `${absent}, and ` : ''}npm is not on PATH` };
  // The lock file must parse: npm audit would otherwise report an error shaped like a result.
  try {
    JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  } catch (error) {
    return {
      error: `${join(root, 'package-lock.json')} is not valid JSON (${(error as Error).message}); regenerate it with npm install --package-lock-only`,
    };
  }
  return {
    name: 'npm audit',
    argv: [npm, 'audit', '--json', '--package-lock-only'],
    ...(absent ? { note: `${absent}; npm audit covers the npm dependencies only` } : {}),
  };
}

// npm prints {"message", "error": {"code", "summary"}} on stdout when it cannot audit.
function scannerError(stdout: string): string | undefined {
  try {
    const doc = JSON.parse(stdout) as { message?: string; error?: { code?: string; summary?: string } };
    const said = [doc.error?.code, doc.error?.summary, doc.message].filter(Boolean).join(': ');
    return said || undefined;
  } catch {
    return undefined;
  }
}
