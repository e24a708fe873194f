import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_TYPES } from '../../lib/cli/init.js';
import { mc } from '../support/cli.js';
import { repoPath } from '../support/pipelines.js';

const API = repoPath('examples/api/build.yaml');
const LEGACY = repoPath('test/fixtures/pipelines/legacy-27.0.yaml');
const BROKEN = repoPath('test/fixtures/pipelines/errors.yaml');
const tmp = () => mkdtempSync(join(tmpdir(), 'mc-cli-'));

describe('every command', () => {
  it.each([
    'init',
    'validate',
    'plan',
    'migrate',
    'render',
    'run',
    'status',
    'sbom',
    'sbom validate',
    'scan',
    'gate',
    'policy test',
    'waiver add',
    'waiver approve',
    'waiver list',
    'waiver revoke',
    'keys generate',
    'sign',
    'attest',
    'verify-blob',
    'verify-attestation',
  ])('%s has --help and --json', async (command) => {
    const { code, stdout } = await mc([...command.split(' '), '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: mc ${command}`);
    expect(stdout).toContain('--json');
  });

  it('answers an unknown option with exit code 2', async () => {
    const { code, stderr } = await mc(['plan', API, '--frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--frobnicate'");
  });

  it('answers an unknown environment with exit code 2', async () => {
    expect((await mc(['validate', API, '--env', 'qa'])).code).toBe(2);
  });

  it('answers a missing file with exit code 2 and a clear message', async () => {
    const { code, stderr } = await mc(['validate', 'nope.yaml']);
    expect({ code, stderr }).toEqual({ code: 2, stderr: 'mc: cannot read nope.yaml: no such file\n' });
  });
});

describe('mc validate', () => {
  it('exits 0 for a valid pipeline and says so', async () => {
    const { code, stdout } = await mc(['validate', 'examples/api/build.yaml'], { cwd: repoPath('') });
    expect(code).toBe(0);
    expect(stdout).toBe('examples/api/build.yaml: valid for dev (0 errors, 0 warnings)\n');
  });

  it('prints only the JSON document with --json', async () => {
    const { code, stdout } = await mc(['validate', BROKEN, '--json'], { cwd: repoPath('') });
    const doc = JSON.parse(stdout);
    expect(code).toBe(1);
    expect(doc.valid).toBe(false);
    expect(doc.errors).toHaveLength(11);
    expect(doc.errors[0]).toEqual({
      file: 'test/fixtures/pipelines/errors.yaml',
      line: 2,
      column: 7,
      pointer: '/kind',
      message: 'kind is "Pipeline", expected "BuildPipeline"',
    });
    expect(doc.warnings).toEqual([]);
  });

  it('turns lint warnings into errors under prod', async () => {
    const dev = JSON.parse((await mc(['validate', LEGACY, '--json'])).stdout);
    const prod = await mc(['validate', LEGACY, '--json', '--env', 'prod']);
    expect(dev.valid).toBe(true);
    expect(dev.warnings.length).toBeGreaterThan(0);
    expect(prod.code).toBe(1);
    expect(JSON.parse(prod.stdout).errors.map((e: { message: string }) => e.message)).toEqual(
      dev.warnings.map((w: { message: string }) => w.message),
    );
  });
});

describe('mc plan --json', () => {
  it('prints the documented shape', async () => {
    const { code, stdout, stderr } = await mc(['plan', API, '--json']);
    const doc = JSON.parse(stdout);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(doc).toMatchObject({ pipeline: 'api', env: 'dev' });
    expect(doc.nodes[0]).toMatchObject({ id: 'source/checkout', stage: 'source', dependsOn: [] });
    expect(doc.order).toHaveLength(doc.nodes.length);
    expect(doc.criticalPath).toEqual([
      'source/checkout',
      'verify/lint',
      'supply-chain/sbom',
      'package/pack',
      'release/sign',
      'gate/policy',
      'smoke/unpack',
    ]);
  });

  it('exits 1 with the errors when the pipeline is invalid', async () => {
    const { code, stdout } = await mc(['plan', BROKEN, '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).valid).toBe(false);
  });

  it.each([
    ['mermaid', 'flowchart LR\n'],
    ['dot', 'digraph "api" {\n'],
    ['text', 'api (27.1.0, env dev)'],
  ])('renders --format %s', async (format, start) => {
    expect((await mc(['plan', API, '--format', format])).stdout.startsWith(start)).toBe(true);
  });
});

describe('mc migrate', () => {
  it('prints the 27.1 document, keeping comments, and lists the changes on stderr', async () => {
    const { code, stdout, stderr } = await mc(['migrate', LEGACY]);
    expect(code).toBe(0);
    expect(stdout).toContain('# A pipeline in the 27.0 shape');
    expect(stdout).toContain('version: "27.1.0"');
    expect(stdout).toContain('fail_fast: true');
    expect(stderr).toContain('metadata.version: version 27.0.0 → 27.1.0');
  });

  it('writes the file in place with --write, and the result validates as 27.1', async () => {
    const file = join(tmp(), 'build.yaml');
    writeFileSync(file, readFileSync(LEGACY));
    expect((await mc(['migrate', file, '--write'])).code).toBe(0);
    const { stdout } = await mc(['validate', file, '--json']);
    expect(JSON.parse(stdout).valid).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('version: "27.1.0"');
    expect((await mc(['migrate', file, '--json'])).stdout).toContain('"changes": []');
  });
});

describe('mc init', () => {
  it.each(PROJECT_TYPES)('writes a %s build.yaml that validates', async (type) => {
    const dir = join(tmp(), `My Project ${type}`);
    const { code } = await mc(['init', '--type', type, '--dir', dir]);
    expect(code).toBe(0);
    const validated = await mc(['validate', join(dir, 'build.yaml'), '--json', '--env', 'prod']);
    expect(JSON.parse(validated.stdout)).toMatchObject({ valid: true, errors: [], warnings: [] });
    expect(readFileSync(join(dir, 'build.yaml'), 'utf8')).toContain(`name: my-project-${type}`);
  });

  it('refuses to overwrite an existing build.yaml without --force', async () => {
    const dir = tmp();
    await mc(['init', '--dir', dir]);
    const again = await mc(['init', '--dir', dir, '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).written).toBe(false);
    expect((await mc(['init', '--dir', dir, '--force'])).code).toBe(0);
  });
});

describe('mc migrate, on a 27.0 file that already uses 27.1 fields', () => {
  it('upgrades it instead of refusing', async () => {
    const file = join(tmp(), 'build.yaml');
    writeFileSync(
      file,
      'apiVersion: orchestration.maestro.dev/v1\nkind: BuildPipeline\nmetadata: {name: x, version: "27.0.0"}\nspec:\n  stages:\n    - name: a\n      retries: 1\n      steps: [{name: s, command: "true"}]\n',
    );
    expect((await mc(['validate', file])).code).toBe(1);
    expect((await mc(['migrate', file, '--write'])).code).toBe(0);
    expect((await mc(['validate', file])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('steps: [{name: s, command: "true"}]');
  });
});
