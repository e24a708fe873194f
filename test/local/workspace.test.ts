import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVIDENCE } from '../../lib/evidence/index.js';
import type { RunDeps } from '../../lib/run/index.js';
import { pack, restoreAncestorOutputs } from '../../lib/workspace/index.js';
import { header, project, runProject, statuses, traceLines, withBackend } from '../support/local-run.js';

describe('the workspace model', () => {
  it('gives a node the source plus what its dependencies produced, and nothing from other nodes', async () => {
    const p = project('');
    writeFileSync(`${p.dir}/source.txt`, 'from the source\n');
    const yaml = `${header()}    - name: make
      steps: [{name: s, command: "mkdir -p out && echo made > out/made.txt && cat source.txt > out/copy.txt"}]
    - name: sibling
      steps: [{name: s, command: "sleep 0.5; echo sibling > sibling.txt"}]
    - name: use
      depends_on: [make]
      steps: [{name: s, command: "test -f out/made.txt && grep -q 'from the source' out/copy.txt && sleep 1 && test ! -f sibling.txt"}]
`;
    writeFileSync(p.file, yaml);
    await withBackend(async (backend, home) => {
      const result = await runProject(backend, home, p);
      expect(statuses(result)).toEqual({
        'make/s': 'SUCCEEDED',
        'sibling/s': 'SUCCEEDED',
        'use/s': 'SUCCEEDED',
      });
      // Runs never write into the project itself.
      expect(existsSync(`${p.dir}/out`)).toBe(false);
    });
  });

  it('records the evidence layout, with keys that carry the attempt', async () => {
    const p = project('');
    writeFileSync(
      p.file,
      `${header('layout')}    - name: a\n      steps: [{name: s, command: "echo hello > greeting.txt; echo logged"}]\n`,
    );
    await withBackend(async (backend, home) => {
      const result = await runProject(backend, home, p);
      const prefix = result.run.evidence.prefix;
      const keys = (await backend.evidence.list(prefix)).map((k) => k.slice(prefix.length));
      expect(keys).toEqual([
        'nodes/a/s/1/log.txt',
        'nodes/a/s/1/outputs.tgz',
        'pipeline.yaml',
        'plan.json',
        'run/1.json',
        'statemachine.asl.json',
      ]);
      expect(await backend.evidence.getText(`${prefix}${EVIDENCE.nodeLog('a/s', 1)}`)).toContain('logged');
      expect(await backend.evidence.getJson(`${prefix}${EVIDENCE.runSummary(1)}`)).toMatchObject({
        status: 'SUCCEEDED',
      });
    });
  });
});

describe('caches (spec.cache)', () => {
  const cached = (name: string) =>
    `apiVersion: orchestration.maestro.dev/v1\nkind: BuildPipeline\nmetadata: {name: ${name}, version: "27.1.0"}\nspec:\n  cache:\n    deps:\n      key: deps-\${{ hashFiles('lock.txt') }}\n      paths: [vendor]\n  stages:\n`;

  it('restores a key saved by an earlier run, misses when the hashed files change, and never writes into the project', async () => {
    const p = project('');
    writeFileSync(`${p.dir}/lock.txt`, 'v1\n');
    // The first build of a key fills vendor/; later builds find it restored.
    const step = (id: string) =>
      `{name: s, command: "if test -f vendor/filled; then echo \\"hit ${id} $(cat vendor/filled)\\" >> ${p.trace}; else mkdir -p vendor && echo $MC_RUN_ID > vendor/filled && echo \\"miss ${id}\\" >> ${p.trace}; fi"}`;
    writeFileSync(
      p.file,
      `${cached('cache-demo')}    - name: a\n      steps: [${step('a')}]\n    - name: b\n      depends_on: [a]\n      steps: [${step('b')}]\n`,
    );
    await withBackend(async (backend, home) => {
      const first = await runProject(backend, home, p);
      expect(statuses(first)).toEqual({ 'a/s': 'SUCCEEDED', 'b/s': 'SUCCEEDED' });
      // b, after a, finds what a saved (the cache, and a's outputs alike).
      expect(traceLines(p)).toEqual(['miss a', `hit b ${first.runId}`]);

      writeFileSync(p.trace, '');
      const second = await runProject(backend, home, p);
      expect(traceLines(p)).toEqual([`hit a ${first.runId}`, `hit b ${first.runId}`]);
      expect(second.runId).not.toBe(first.runId);

      writeFileSync(`${p.dir}/lock.txt`, 'v2\n');
      writeFileSync(p.trace, '');
      const third = await runProject(backend, home, p);
      expect(traceLines(p)).toEqual(['miss a', `hit b ${third.runId}`]);
      expect(existsSync(`${p.dir}/vendor`)).toBe(false);
      expect(
        (await backend.evidence.list('caches/cache-demo/dev/deps/')).filter((k) => k.endsWith('cache.json')),
      ).toHaveLength(2);
    });
  });
});

describe('stage commands', () => {
  it('never see the signing key passphrase', async () => {
    const p = project('');
    writeFileSync(
      p.file,
      `${header('secret')}    - name: a\n      steps: [{name: s, command: 'test -z "$MC_KEY_PASSPHRASE"'}]\n`,
    );
    await withBackend(async (backend, home) => {
      const result = await runProject(backend, home, p, { processEnv: { MC_KEY_PASSPHRASE: 'hunter2' } });
      expect(statuses(result)).toEqual({ 'a/s': 'SUCCEEDED' });
    });
  });
});

describe('restoring what a node’s ancestors produced', () => {
  it('lays their outputs in plan order, however their downloads finish', async () => {
    // Prepare: three archives that write one same file; the store answers the last request first.
    const root = mkdtempSync(join(tmpdir(), 'mc-restore-'));
    const archives = new Map<string, Uint8Array>();
    for (const id of ['a', 'b', 'c']) {
      const from = join(root, `from-${id}`);
      mkdirSync(from);
      writeFileSync(join(from, 'same.txt'), id);
      writeFileSync(join(from, `${id}.txt`), id);
      archives.set(id, await pack(from, ['same.txt', `${id}.txt`], false));
    }
    const answers: (() => void)[] = [];
    const evidence = {
      get: (key: string) => new Promise((resolve) => answers.push(() => resolve(archives.get(key)))),
    };
    const dir = join(root, 'work');
    mkdirSync(dir);

    // Act
    const restoring = restoreAncestorOutputs(
      { evidence } as unknown as RunDeps,
      [
        { id: 'a', attempt: 1, outputs: 'a' },
        { id: 'quiet', attempt: 1 },
        { id: 'b', attempt: 1, outputs: 'b' },
        { id: 'c', attempt: 2, outputs: 'c' },
      ],
      dir,
    );
    const asked = answers.length;
    for (const answer of [...answers].reverse()) answer();
    await restoring;

    // Assess: all three were asked for at once, and the last in plan order wins.
    expect(asked).toBe(3);
    expect(readFileSync(join(dir, 'same.txt'), 'utf8')).toBe('c');
    expect(['a', 'b', 'c'].map((id) => readFileSync(join(dir, `${id}.txt`), 'utf8'))).toEqual([
      'a',
      'b',
      'c',
    ]);
  });
});
