import { execSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mc } from '../support/cli.js';
import { repoPath } from '../support/pipelines.js';

const API = repoPath('examples/api/build.yaml');
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const home = () => ({ MC_HOME: mkdtempSync(join(tmpdir(), 'mc-home-')) });

describe('mc run', () => {
  it('runs the api example green and prints only the documented JSON with --json', async () => {
    const env = home();
    const { code, stdout } = await mc(['run', API, '--json'], { env });
    const doc = JSON.parse(stdout);
    expect(code).toBe(0);
    expect(doc).toMatchObject({ status: 'SUCCEEDED', runId: expect.any(String) });
    expect(doc.nodes.map((n: { id: string }) => n.id)).toEqual([
      'source/checkout',
      'verify/lint',
      'verify/test',
      'supply-chain/sbom',
      'supply-chain/scan',
      'package/pack',
      'release/sign',
      'release/attest',
      'gate/policy',
      'smoke/unpack',
    ]);
    for (const node of doc.nodes) {
      expect(node).toMatchObject({
        status: 'SUCCEEDED',
        attempts: 1,
        startedAt: expect.stringMatching(ISO),
        endedAt: expect.stringMatching(ISO),
      });
      expect(Date.parse(node.endedAt)).toBeGreaterThanOrEqual(Date.parse(node.startedAt));
    }

    const status = await mc(['status', doc.runId, '--json'], { env });
    expect(JSON.parse(status.stdout)).toEqual(doc);
    const latest = await mc(['status'], { env });
    expect(latest.stdout).toContain(`run ${doc.runId} of api (dev): SUCCEEDED`);

    const logs = await mc(['logs', doc.runId, '--node', 'verify/test'], { env });
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('==> verify/test (attempt 1) <==');
    expect(logs.stdout).toMatch(/# pass 3/);
  });

  it('exits 1 and names the node when the run fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mc-fail-'));
    const file = join(dir, 'build.yaml');
    writeFileSync(
      file,
      'apiVersion: orchestration.maestro.dev/v1\nkind: BuildPipeline\nmetadata: {name: boom, version: "27.1.0"}\nspec:\n  stages:\n    - {name: a, steps: [{name: s, command: "echo broken >&2; exit 4"}]}\n',
    );
    const { code, stdout, stderr } = await mc(['run', file], { env: home(), cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toMatch(/a\/s\s+FAILED\s+1/);
    expect(stderr).toContain('  | broken');
    expect(stderr).toContain('a/s failed');
  });

  it('fails an action that a later release brings, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mc-pending-'));
    const file = join(dir, 'build.yaml');
    writeFileSync(
      file,
      'apiVersion: orchestration.maestro.dev/v1\nkind: BuildPipeline\nmetadata: {name: later, version: "27.1.0"}\nspec:\n  stages:\n    - {name: a, steps: [{name: image, action: promote}]}\n',
    );
    const { code, stdout } = await mc(['run', file, '--json'], { env: home(), cwd: dir });
    expect(code).toBe(1);
    expect(JSON.parse(stdout).nodes[0]).toMatchObject({
      id: 'a/image',
      status: 'FAILED',
      error: expect.stringContaining(
        'action \\"promote\\" (promotes an image to the next environment) is not available in this version of mc yet',
      ),
    });
  });

  it('walks the machine with --dry-run without running anything or recording the run', async () => {
    const env = home();
    const { code, stderr } = await mc(['run', API, '--dry-run'], { env });
    expect(code).toBe(0);
    const order = [...stderr.matchAll(/would run (\S+):/g)].map((m) => m[1]);
    expect(order[0]).toBe('source/checkout');
    expect(order.slice(-2)).toEqual(['gate/policy', 'smoke/unpack']);
    expect(stderr).toContain('would run verify/test: cd service && npm test');
    expect(existsSync(join(env.MC_HOME, 'dynamodb'))).toBe(false);
  });

  it('answers an unknown run id of status, logs and --resume with exit 1', async () => {
    const env = home();
    expect((await mc(['status', 'nope'], { env })).code).toBe(1);
    expect((await mc(['logs', 'nope'], { env })).code).toBe(1);
    const resumed = await mc(['run', API, '--resume', 'nope'], { env });
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain('no run nope is recorded');
  });
});

describe('mc render', () => {
  it('writes the definition to a file with -o, and mermaid with --format', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mc-render-')), 'api.asl.json');
    expect((await mc(['render', API, '-o', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(repoPath('test/fixtures/asl/api.asl.json'), 'utf8'));
    const mermaid = await mc(['render', API, '--format', 'mermaid']);
    expect(mermaid.stdout.startsWith('flowchart TD\n')).toBe(true);
    const json = JSON.parse((await mc(['render', API, '--json'])).stdout);
    expect(json).toMatchObject({ pipeline: 'api', env: 'dev', format: 'asl', output: null });
    expect(json.definition.StartAt).toBe('Start run');
  });
});

describe('Ctrl-C during mc run', () => {
  it('stops the commands, records the run as ABORTED and exits 130', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mc-abort-'));
    const marker = join(dir, 'finished');
    writeFileSync(
      join(dir, 'build.yaml'),
      `apiVersion: orchestration.maestro.dev/v1\nkind: BuildPipeline\nmetadata: {name: slow, version: "27.1.0"}\nspec:\n  stages:\n    - {name: a, steps: [{name: s, command: "sleep 30; touch ${marker}"}]}\n`,
    );
    const env = { ...process.env, ...home() };
    const child = spawn(process.execPath, [repoPath('dist/mc.js'), 'run', 'build.yaml'], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const deadline = Date.now() + 20_000;
    while (!stderr.includes('▶ a/s') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (!stderr.includes('▶ a/s')) throw new Error(`mc did not start the node: ${stderr}`);
    // As a terminal's Ctrl-C does, signal mc and its helper processes alike.
    const helpers = execSync(`ps -o pid= --ppid ${child.pid}`)
      .toString()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    for (const pid of [child.pid as number, ...helpers]) process.kill(pid, 'SIGINT');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    const status = JSON.parse((await mc(['status', '--json'], { env: { MC_HOME: env.MC_HOME } })).stdout);
    expect(status).toMatchObject({ status: 'ABORTED', nodes: [{ id: 'a/s', status: 'CANCELLED' }] });
    expect(existsSync(marker)).toBe(false);
  });
});
