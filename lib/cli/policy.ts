import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { type PolicyTestResult, parsePolicyTests, runPolicyTest } from '../gate/index.js';
import { packagePath } from '../paths/index.js';
import { UsageError } from './errors.js';
import { readInputFile } from './files.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { jsonOption } from './options.js';
import { asUsage, loadPolicy } from './policy-file.js';

interface PolicyTestOptions {
  readonly policy?: string;
  readonly json?: boolean;
}

export function registerPolicy(program: Command, io: CliIO, exit: (code: number) => void): void {
  const policy = program.command('policy').description('work with supply-chain policies');
  policy
    .command('test')
    .description(
      'run policy tests (input/expect YAML files) against a policy; without FILES, policy/tests/*.yaml of the working directory, else the tests shipped with mc',
    )
    .argument('[files...]', 'policy test files')
    .option('--policy <file>', 'the policy to test (default: the one shipped with mc)')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nExit codes: 0 every case passed, 1 a case failed, 2 usage error (unreadable file, bad policy or test).',
    )
    .action((files: string[], options: PolicyTestOptions) => exit(policyTest(files, options, io)));
}

function policyTest(files: readonly string[], options: PolicyTestOptions, io: CliIO): number {
  const policy = loadPolicy(io.cwd, options.policy);
  const names = files.length ? files : defaultTests(io.cwd);
  const results: PolicyTestResult[] = [];
  for (const name of names) {
    const file = readInputFile(io.cwd, name);
    for (const test of asUsage(() => parsePolicyTests(file.text, file.display)))
      results.push(asUsage(() => runPolicyTest(policy, file.display, test)));
  }
  // No cases is not a pass: a wrong path or an empty folder would look green.
  if (!results.length)
    throw new UsageError(
      `no policy test cases found${files.length ? ` in ${files.join(', ')}` : ' (policy/tests/*.yaml)'}`,
    );
  const failed = results.filter((r) => !r.passed);
  if (options.json) printJson(io, { policy: policy.metadata.name, passed: failed.length === 0, results });
  else {
    for (const r of results) {
      io.stdout(`${r.passed ? 'PASS' : 'FAIL'} ${r.file}: ${r.name}\n`);
      for (const problem of r.problems) io.stdout(`     ${problem}\n`);
    }
    io.stdout(
      `${results.length - failed.length} passed, ${failed.length} failed (policy ${policy.metadata.name})\n`,
    );
  }
  return failed.length ? EXIT.failed : EXIT.ok;
}

function defaultTests(cwd: string): string[] {
  for (const dir of [resolve(cwd, 'policy', 'tests'), packagePath('policy', 'tests')]) {
    try {
      const found = readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort();
      if (found.length) return found.map((f) => join(dir, f));
    } catch {
      // not there: try the next place
    }
  }
  return [];
}
