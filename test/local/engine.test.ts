import { spawnSync } from 'node:child_process';
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { backendClients, LOCAL_TABLE } from '../../lib/local/index.js';
import { documentClient, KEYS } from '../../lib/state/index.js';
import {
  header,
  type Project,
  project,
  runProject,
  statuses,
  traced,
  traceLines,
  withBackend,
} from '../support/local-run.js';

const stage = (name: string, command: string, extra = '') =>
  `    - name: ${name}\n${extra}      steps: [{name: s, command: ${JSON.stringify(command)}}]\n`;

function precedes(lines: string[], a: string, b: string): boolean {
  return lines.indexOf(a) >= 0 && lines.indexOf(a) < lines.indexOf(b);
}

describe('the local engine running a compiled pipeline', () => {
  it('starts a node as soon as its own dependencies succeed, not when its level finishes', async () => {
    const p: Project = project('');
    const yaml =
      header() +
      stage('slow', traced(p, 'slow', 1.5)) +
      stage('fast', traced(p, 'fast', 0)) +
      stage('after-fast', traced(p, 'after-fast', 0), '      depends_on: [fast]\n');
    await withBackend(async (backend, home) => {
      writeFileSync(p.file, yaml);
      const result = await runProject(backend, home, p);
      expect(result.status).toBe('SUCCEEDED');
      const lines = traceLines(p);
      expect(precedes(lines, 'end fast', 'start after-fast')).toBe(true);
      expect(precedes(lines, 'start after-fast', 'end slow')).toBe(true);
    });
  });

  it('records when each command started and ended, and stores every log before the run ends', async () => {
    const p: Project = project('');
    // Each command writes the time (ms) as it begins and as it ends.
    const stamped = (id: string) =>
      `echo "${id} $(date +%s%3N)" >> ${p.trace}; sleep 0.2; echo "${id} $(date +%s%3N)" >> ${p.trace}`;
    const yaml =
      header() +
      stage('first', stamped('first')) +
      stage('second', stamped('second'), '      depends_on: [first]\n') +
      '    - name: chain\n      depends_on: [second]\n      steps:\n' +
      `        - {name: a, command: ${JSON.stringify(stamped('chain-a'))}}\n` +
      `        - {name: b, command: ${JSON.stringify(stamped('chain-b'))}}\n`;
    writeFileSync(p.file, yaml);
    await withBackend(async (backend, home) => {
      const result = await runProject(backend, home, p);
      expect(result.status).toBe('SUCCEEDED');
      const stamps = new Map<string, number[]>();
      for (const line of traceLines(p)) {
        const [id, ms] = line.split(' ');
        stamps.set(id, [...(stamps.get(id) ?? []), Number(ms)]);
      }
      const ids: Record<string, string> = {
        first: 'first/s',
        second: 'second/s',
        'chain-a': 'chain/a',
        'chain-b': 'chain/b',
      };
      let previousEnd = 0;
      for (const [id, node] of Object.entries(ids)) {
        const record = result.nodes.find((n) => n.node === node);
        const [began, finished] = stamps.get(id) ?? [];
        const started = Date.parse(record?.startedAt ?? '');
        const ended = Date.parse(record?.endedAt ?? '');
        // The recorded times hold the command's own, and each node starts after the one before.
        expect(started).toBeLessThanOrEqual(began);
        expect(finished).toBeLessThanOrEqual(ended);
        expect(started).toBeGreaterThanOrEqual(previousEnd);
        previousEnd = ended;
        const log = await backend.evidence.getText(`${result.run.evidence.prefix}nodes/${node}/1/log.txt`);
        expect(log).toContain(`--- attempt 1 of ${node}`);
      }
    });
  });

  it('fails fast: the first failure stops what runs, and the run names it', async () => {
    const p = project('');
    const yaml =
      header() +
      stage('broken', 'exit 3') +
      stage('long', traced(p, 'long', 20)) +
      stage('later', 'true', '      depends_on: [broken]\n');
    writeFileSync(p.file, yaml);
    await withBackend(async (backend, home) => {
      const result = await runProject(backend, home, p);
      expect(result.status).toBe('FAILED');
      expect(result.failedNodes).toEqual(['broken/s']);
      expect(statuses(result)).toEqual({
        'broken/s': 'FAILED',
        'long/s': 'CANCELLED',
        'later/s': 'CANCELLED',
      });
      // `long` was stopped: its command never got to the end.
      expect(traceLines(p)).not.toContain('end long');
    });
  });

  it('without fail_fast, skips the dependents of a failure and finishes the rest', async () => {
    const p = project('');
    const yaml =
      header('demo', false) +
      stage('broken', 'exit 1') +
      stage('dependent', 'true', '      depends_on: [broken]\n') +
      stage('grandchild', 'true', '      depends_on: [dependent]\n') +
      stage('independent', traced(p, 'independent', 0.3));
    writeFileSync(p.file, yaml);
    await withBackend(async (backend, home) => {
      const result = await runProject(backend, home, p);
      expect(result.status).toBe('FAILED');
      expect(statuses(result)).toEqual({
        'broken/s': 'FAILED',
        'dependent/s': 'SKIPPED',
        'grandchild/s': 'SKIPPED',
        'independent/s': 'SUCCEEDED',
      });
      expect(result.nodes.find((n) => n.node === 'dependent/s')?.reason).toBe('dependency broken/s failed');
    });
  });

  describe('with retries', () => {
    const flaky = (counter: string, failures: number) =>
      `n=$(cat ${counter} 2>/dev/null || echo 0); echo $((n+1)) > ${counter}; [ "$n" -ge ${failures} ]`;

    it('passes a command that fails twice then succeeds, after 3 attempts', async () => {
      const p = project('');
      writeFileSync(p.file, header() + stage('flaky', flaky(`${p.trace}.count`, 2), '      retries: 2\n'));
      await withBackend(async (backend, home) => {
        const result = await runProject(backend, home, p);
        expect(result.status).toBe('SUCCEEDED');
        expect(result.nodes[0]).toMatchObject({ status: 'SUCCEEDED', attempts: 3 });
      });
    });

    it('fails a command that fails three times, after 3 attempts', async () => {
      const p = project('');
      writeFileSync(p.file, header() + stage('flaky', flaky(`${p.trace}.count`, 3), '      retries: 2\n'));
      await withBackend(async (backend, home) => {
        const result = await runProject(backend, home, p);
        expect(result.status).toBe('FAILED');
        expect(result.nodes[0]).toMatchObject({ status: 'FAILED', attempts: 3 });
      });
    });
  });

  describe('with conditions', () => {
    it('skips a node whose run-time condition is false, and its dependents', async () => {
      const p = project('');
      const yaml =
        header() +
        stage('release', 'true', "      condition: github.ref == 'refs/heads/release'\n") +
        stage('after', 'true', '      depends_on: [release]\n') +
        stage('always', 'true');
      writeFileSync(p.file, yaml);
      await withBackend(async (backend, home) => {
        const result = await runProject(backend, home, p);
        expect(result.status).toBe('SUCCEEDED');
        expect(statuses(result)).toEqual({
          'release/s': 'SKIPPED',
          'after/s': 'SKIPPED',
          'always/s': 'SUCCEEDED',
        });
        expect(result.nodes[0].reason).toBe("condition is false: github.ref == 'refs/heads/release'");
      });
    });

    it('lets a run-time condition read the pipeline env', async () => {
      const p = project('');
      const yaml = `apiVersion: orchestration.maestro.dev/v1\nkind: BuildPipeline\nmetadata: {name: demo, version: "27.1.0"}\nspec:\n  env: {DEPLOY: "yes"}\n  stages:\n${stage('publish', 'true', "      condition: github.ref == 'refs/heads/main' && env.DEPLOY == 'yes'\n")}`;
      writeFileSync(p.file, yaml);
      await withBackend(async (backend, home) => {
        expect(statuses(await runProject(backend, home, p))).toEqual({ 'publish/s': 'SUCCEEDED' });
      });
    });

    it('runs it when the condition holds', async () => {
      const p = project('');
      writeFileSync(
        p.file,
        header() + stage('release', 'true', "      condition: github.ref == 'refs/heads/main'\n"),
      );
      await withBackend(async (backend, home) => {
        expect(statuses(await runProject(backend, home, p))).toEqual({ 'release/s': 'SUCCEEDED' });
      });
    });

    it('keeps a node skipped at plan time in the run, skipped', async () => {
      const p = project('');
      writeFileSync(
        p.file,
        header() +
          stage('prod-only', 'true', "      condition: profile == 'prod'\n") +
          stage('next', 'true', '      depends_on: [prod-only]\n'),
      );
      await withBackend(async (backend, home) => {
        const result = await runProject(backend, home, p);
        expect(statuses(result)).toEqual({ 'prod-only/s': 'SKIPPED', 'next/s': 'SKIPPED' });
      });
    });
  });

  it('resumes a failed run: re-runs what did not succeed, reuses what did', async () => {
    const p = project('');
    const gate = `${p.trace}.fixed`;
    const yaml =
      header() +
      stage('good', traced(p, 'good', 0)) +
      stage('fragile', `test -f ${gate}`, '      depends_on: [good]\n') +
      stage('after', traced(p, 'after', 0), '      depends_on: [fragile]\n');
    writeFileSync(p.file, yaml);
    await withBackend(async (backend, home) => {
      const first = await runProject(backend, home, p);
      expect(statuses(first)).toEqual({
        'good/s': 'SUCCEEDED',
        'fragile/s': 'FAILED',
        'after/s': 'CANCELLED',
      });
      writeFileSync(gate, '');
      const resumed = await runProject(backend, home, p, { resume: first.runId });
      expect(resumed.runId).toBe(first.runId);
      expect(resumed.status).toBe('SUCCEEDED');
      expect(resumed.nodes.map((n) => [n.node, n.status, n.attempts])).toEqual([
        ['good/s', 'SUCCEEDED', 1],
        ['fragile/s', 'SUCCEEDED', 2],
        ['after/s', 'SUCCEEDED', 1],
      ]);
      expect(traceLines(p)).toEqual(['start good', 'end good', 'start after', 'end after']);
      expect(resumed.run.resumes).toBe(1);
    });
  });

  it('takes over a run whose process died, counting first the attempts its journal holds', async () => {
    const p = project('');
    const gate = `${p.trace}.fixed`;
    writeFileSync(
      p.file,
      header() + stage('good', 'true') + stage('fragile', `test -f ${gate}`, '      depends_on: [good]\n'),
    );
    await withBackend(async (backend, home) => {
      const first = await runProject(backend, home, p);
      // What a kill -9 leaves while attempt 2 of fragile runs: the run and the node RUNNING, the
      // attempt in the journal only, and the pid of a process that is gone.
      const table = documentClient(backendClients(backend.endpoints).dynamo);
      for (const Key of [KEYS.run(first.runId), KEYS.node(first.runId, 'fragile/s')])
        await table.send(
          new UpdateCommand({
            TableName: LOCAL_TABLE,
            Key,
            UpdateExpression: 'SET #status = :running',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':running': 'RUNNING' },
          }),
        );
      const workRoot = join(home, 'work', first.runId);
      appendFileSync(
        join(workRoot, 'attempts.jsonl'),
        `${JSON.stringify({ node: 'fragile/s', attempt: 2, at: new Date().toISOString() })}\n`,
      );
      writeFileSync(join(workRoot, 'owner.pid'), String(spawnSync('true').pid));
      writeFileSync(gate, '');

      const resumed = await runProject(backend, home, p, { resume: first.runId });

      expect(resumed.status).toBe('SUCCEEDED');
      expect(resumed.nodes.map((n) => [n.node, n.status, n.attempts])).toEqual([
        ['good/s', 'SUCCEEDED', 1],
        ['fragile/s', 'SUCCEEDED', 3],
      ]);
    });
  });

  it('stops on abort (Ctrl-C): commands are killed and the run is ABORTED', async () => {
    const p = project('');
    writeFileSync(
      p.file,
      header() + stage('long', traced(p, 'long', 30)) + stage('next', 'true', '      depends_on: [long]\n'),
    );
    await withBackend(async (backend, home) => {
      const controller = new AbortController();
      const events: import('../../lib/local/index.js').RunEvent[] = [];
      const running = runProject(backend, home, p, { signal: controller.signal, events });
      await waitFor(() => events.some((e) => e.kind === 'started') && traceLines(p).includes('start long'));
      controller.abort();
      const result = await running;
      expect(result.status).toBe('ABORTED');
      expect(statuses(result)).toEqual({ 'long/s': 'CANCELLED', 'next/s': 'CANCELLED' });
      expect(traceLines(p)).toEqual(['start long']);
    });
  });
});

async function waitFor(condition: () => boolean, deadlineMs = 20_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('while a run is in progress', () => {
  it('another connection to the project sees it RUNNING, node by node', async () => {
    const p = project('');
    writeFileSync(
      p.file,
      header() +
        stage('first', traced(p, 'first', 1)) +
        stage('second', 'true', '      depends_on: [first]\n'),
    );
    await withBackend(async (backend, home) => {
      const events: import('../../lib/local/index.js').RunEvent[] = [];
      const running = runProject(backend, home, p, { events });
      await waitFor(() => events.some((e) => e.kind === 'started'));
      const { openLocalBackend } = await import('../../lib/local/index.js');
      const guest = await openLocalBackend(home);
      try {
        const [run] = await guest.state.listRuns(1);
        expect(run.status).toBe('RUNNING');
        expect((await guest.state.getNodes(run.runId)).map((n) => [n.node, n.status])).toEqual([
          ['first/s', 'RUNNING'],
        ]);
      } finally {
        await guest.close();
      }
      expect((await running).status).toBe('SUCCEEDED');
    });
  });
});

describe('on paths a review found', () => {
  it('ends a fail-fast run while a gate still waits (no hang until the gate times out)', async () => {
    const p = project('');
    const yaml = `${header()}    - name: a
      parallel: true
      steps: [{name: one, command: "exit 1"}, {name: two, command: "sleep 0.3"}]
    - name: b
      depends_on: [a]
      steps: [{name: s, command: "true"}]
`;
    writeFileSync(p.file, yaml);
    await withBackend(async (backend, home) => {
      const result = await runProject(backend, home, p);
      expect(result.status).toBe('FAILED');
      expect(statuses(result)).toMatchObject({ 'a/one': 'FAILED', 'b/s': 'CANCELLED' });
    });
  });

  it('resumes a run whose gated nodes succeeded before', async () => {
    const p = project('');
    const fixed = `${p.trace}.fixed`;
    const yaml = `${header('demo', false)}    - name: a
      steps: [{name: s, command: "true"}]
    - name: b
      depends_on: [a]
      steps: [{name: s, command: "test -f ${fixed}"}, {name: t, command: "true"}]
    - name: d
      depends_on: [a]
      steps: [{name: s, command: "true"}]
`;
    writeFileSync(p.file, yaml);
    await withBackend(async (backend, home) => {
      const first = await runProject(backend, home, p);
      expect(statuses(first)).toEqual({
        'a/s': 'SUCCEEDED',
        'b/s': 'FAILED',
        'b/t': 'SKIPPED',
        'd/s': 'SUCCEEDED',
      });
      writeFileSync(fixed, '');
      const resumed = await runProject(backend, home, p, { resume: first.runId });
      expect(resumed.status).toBe('SUCCEEDED');
      expect(statuses(resumed)).toEqual({
        'a/s': 'SUCCEEDED',
        'b/s': 'SUCCEEDED',
        'b/t': 'SUCCEEDED',
        'd/s': 'SUCCEEDED',
      });
    });
  });

  it('fails a node whose run-time condition cannot be decided, and ends the run', async () => {
    const p = project('');
    const yaml = `${header()}    - name: a
      steps: [{name: s, command: "true"}]
    - name: b
      depends_on: [a]
      condition: github.ref
      steps: [{name: s, command: "true"}]
`;
    writeFileSync(p.file, yaml);
    await withBackend(async (backend, home) => {
      const result = await runProject(backend, home, p);
      expect(result.status).toBe('FAILED');
      expect(statuses(result)).toEqual({ 'a/s': 'SUCCEEDED', 'b/s': 'FAILED' });
      expect(result.nodes[1].error?.Cause).toContain('not true or false');
    });
  });

  it('carries files whose names start with @ to dependents, and leaves no source copy behind', async () => {
    const p = project('');
    const yaml = `${header()}    - name: a
      steps: [{name: s, command: "echo data > @scope.txt"}]
    - name: b
      depends_on: [a]
      steps: [{name: s, command: "grep -q data @scope.txt"}]
`;
    writeFileSync(p.file, yaml);
    await withBackend(async (backend, home) => {
      const result = await runProject(backend, home, p);
      expect(result.status).toBe('SUCCEEDED');
      const work = readdirSync(`${home}/work/${result.runId}`);
      expect(work.filter((f) => f.startsWith('source-'))).toEqual([]);
    });
  });
});

describe('a node that outlives its timeout', () => {
  it('is stopped, recorded FAILED as timed out, and named by the failed run', async () => {
    const p = project('');
    writeFileSync(
      p.file,
      `${header()}    - name: slow\n      timeout: 2s\n      steps: [{name: s, command: ${JSON.stringify(traced(p, 'slow', 10))}}]\n`,
    );
    await withBackend(async (backend, home) => {
      const result = await runProject(backend, home, p);
      expect(result.status).toBe('FAILED');
      expect(result.failedNodes).toEqual(['slow/s']);
      expect(result.nodes[0].error?.Cause).toContain('timed out after 2s');
      expect(traceLines(p)).not.toContain('end slow');
    });
  });
});
