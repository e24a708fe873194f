import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../support/pipelines.js';

const run = promisify(execFile);

describe('the mc binary', () => {
  it('runs from any directory, finding its schema and templates inside the package', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mc-bin-'));
    const bin = repoPath('dist/mc.js');
    await run(process.execPath, [bin, 'init', '--type', 'web'], { cwd });
    const { stdout } = await run(process.execPath, [bin, 'plan', 'build.yaml', '--json'], { cwd });
    expect(JSON.parse(stdout).nodes.length).toBeGreaterThan(0);
  });

  it('exits with the code of the command and no stack trace', async () => {
    const bin = repoPath('dist/mc.js');
    const failure = await run(process.execPath, [
      bin,
      'validate',
      repoPath('test/fixtures/pipelines/errors.yaml'),
    ]).catch((e) => e);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toBe('');
    expect(failure.stdout).not.toMatch(/\n\s+at /);
  });
});
