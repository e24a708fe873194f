import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVIDENCE } from '../../lib/evidence/index.js';
import { analyzePipeline } from '../../lib/plan/index.js';
import { compilePipeline } from '../../statemachines/index.js';
import {
  header,
  project,
  runProject,
  statuses,
  traced,
  traceLines,
  withBackend,
} from '../support/local-run.js';

// A stage of short sequential steps (a 60 s timeout each: four fit in one 15-minute build).
const checks = (commands: string[], extra = '      timeout: 60s\n') =>
  `    - name: checks\n${extra}      steps:\n${commands.map((c, i) => `        - {name: ${'abcd'[i]}, command: ${JSON.stringify(c)}}\n`).join('')}`;
const stage = (name: string, command: string, extra = '') =>
  `    - name: ${name}\n${extra}      steps: [{name: s, command: ${JSON.stringify(command)}}]\n`;

function codeBuildTasks(yaml: string): number {
  const { plan } = analyzePipeline('f', yaml);
  if (!plan) throw new Error('must plan');
  return (JSON.stringify(compilePipeline(plan)).match(/codebuild:startBuild\.sync/g) ?? []).length;
}

describe('a fused chain of short steps, run by the local engine', () => {
  it('runs as one build yet records each member: status, attempt, times, log, outputs, its own MC_NODE_ID', async () => {
    const p = project('');
    const yaml =
      header() +
      checks([
        `echo one > a.txt; echo "id $MC_NODE_ID" >> ${p.trace}`,
        `test "$(cat a.txt)" = one; echo two > b.txt; echo "id $MC_NODE_ID" >> ${p.trace}`,
        `test -f b.txt; echo "id $MC_NODE_ID" >> ${p.trace}; echo said-c`,
        `echo "id $MC_NODE_ID" >> ${p.trace}`,
      ]) +
      stage(
        'after',
        `test -f a.txt && test -f b.txt && echo "after" >> ${p.trace}`,
        '      depends_on: [checks]\n',
      );
    writeFileSync(p.file, yaml);
    expect(codeBuildTasks(yaml)).toBe(2);
    await withBackend(async (backend, home) => {
      const result = await runProject(backend, home, p);
      expect(result.status).toBe('SUCCEEDED');
      expect(result.nodes.map((n) => [n.node, n.status, n.attempts])).toEqual([
        ['checks/a', 'SUCCEEDED', 1],
        ['checks/b', 'SUCCEEDED', 1],
        ['checks/c', 'SUCCEEDED', 1],
        ['checks/d', 'SUCCEEDED', 1],
        ['after/s', 'SUCCEEDED', 1],
      ]);
      // Each member starts when the one before it has ended; the dependent runs once, after them.
      for (const [before, next] of result.nodes.slice(0, -1).map((n, i) => [n, result.nodes[i + 1]])) {
        expect(before.startedAt && before.endedAt && next.startedAt).toBeTruthy();
        expect(String(before.startedAt) <= String(before.endedAt)).toBe(true);
        expect(String(before.endedAt) <= String(next.startedAt)).toBe(true);
      }
      expect(traceLines(p)).toEqual(['id checks/a', 'id checks/b', 'id checks/c', 'id checks/d', 'after']);
      const prefix = result.run.evidence.prefix;
      const log = await backend.evidence.get(`${prefix}${EVIDENCE.nodeLog('checks/c', 1)}`);
      expect(Buffer.from(log ?? []).toString()).toContain('said-c');
      expect(Buffer.from(log ?? []).toString()).toContain('--- attempt 1 of checks/c');
      expect(result.nodes[0].outputs).toBe(`${prefix}${EVIDENCE.nodeOutputs('checks/a', 1)}`);
      expect(result.nodes[1].outputs).toBe(`${prefix}${EVIDENCE.nodeOutputs('checks/b', 1)}`);
    });
  });

  it('gives each member a fresh workspace, as a build of its own would: a file a member deleted is back', async () => {
    const p = project('');
    writeFileSync(`${p.dir}/kept.txt`, 'source');
    const yaml = header() + checks(['rm kept.txt', 'test -f kept.txt']);
    writeFileSync(p.file, yaml);
    expect(codeBuildTasks(yaml)).toBe(1);
    await withBackend(async (backend, home) => {
      const result = await runProject(backend, home, p);
      expect(statuses(result)).toEqual({ 'checks/a': 'SUCCEEDED', 'checks/b': 'SUCCEEDED' });
    });
  });

  it('fails fast on a member failing mid-chain: that member is FAILED and named, the rest CANCELLED', async () => {
    const p = project('');
    const yaml =
      header() +
      checks([traced(p, 'a'), 'exit 3', traced(p, 'c'), traced(p, 'd')]) +
      stage('after', traced(p, 'after'), '      depends_on: [checks]\n');
    writeFileSync(p.file, yaml);
    await withBackend(async (backend, home) => {
      const result = await runProject(backend, home, p);
      expect(result.status).toBe('FAILED');
      expect(result.failedNodes).toEqual(['checks/b']);
      expect(statuses(result)).toEqual({
        'checks/a': 'SUCCEEDED',
        'checks/b': 'FAILED',
        'checks/c': 'CANCELLED',
        'checks/d': 'CANCELLED',
        'after/s': 'CANCELLED',
      });
      const b = result.nodes.find((n) => n.node === 'checks/b');
      expect(b?.attempts).toBe(1);
      expect(b?.error?.Cause).toContain('command exited with 3: exit 3');
      expect(result.nodes.find((n) => n.node === 'checks/c')?.reason).toBe(
        'stopped because checks/b failed (fail-fast)',
      );
      expect(traceLines(p)).toEqual(['start a', 'end a']);
    });
  });

  it('without fail_fast, skips the members after the failed one and the chain’s dependents, like any dependent', async () => {
    const p = project('');
    const yaml =
      header('demo', false) +
      checks([traced(p, 'a'), 'exit 1', traced(p, 'c'), traced(p, 'd')]) +
      stage('after', traced(p, 'after'), '      depends_on: [checks]\n') +
      stage('independent', traced(p, 'independent'));
    writeFileSync(p.file, yaml);
    await withBackend(async (backend, home) => {
      const result = await runProject(backend, home, p);
      expect(result.status).toBe('FAILED');
      expect(result.failedNodes).toEqual(['checks/b']);
      expect(statuses(result)).toEqual({
        'checks/a': 'SUCCEEDED',
        'checks/b': 'FAILED',
        'checks/c': 'SKIPPED',
        'checks/d': 'SKIPPED',
        'after/s': 'SKIPPED',
        'independent/s': 'SUCCEEDED',
      });
      const reason = (id: string) => result.nodes.find((n) => n.node === id)?.reason;
      expect(reason('checks/c')).toBe('dependency checks/b failed');
      expect(reason('checks/d')).toBe('dependency checks/c was skipped');
      expect(reason('after/s')).toBe('dependency checks/d was skipped');
      expect(traceLines(p).sort()).toEqual(['end a', 'end independent', 'start a', 'start independent']);
    });
  });

  it('resumes: members that succeeded are reused, not run again; the failed one and those after it run', async () => {
    const p = project('');
    const fixed = `${p.trace}.fixed`;
    const yaml =
      header() +
      checks([traced(p, 'a'), `test -f ${fixed}`, traced(p, 'c')]) +
      stage('after', traced(p, 'after'), '      depends_on: [checks]\n');
    writeFileSync(p.file, yaml);
    await withBackend(async (backend, home) => {
      const first = await runProject(backend, home, p);
      expect(first.failedNodes).toEqual(['checks/b']);
      writeFileSync(fixed, '');
      const resumed = await runProject(backend, home, p, { resume: first.runId });
      expect(resumed.status).toBe('SUCCEEDED');
      expect(resumed.nodes.map((n) => [n.node, n.status, n.attempts])).toEqual([
        ['checks/a', 'SUCCEEDED', 1],
        ['checks/b', 'SUCCEEDED', 2],
        ['checks/c', 'SUCCEEDED', 1],
        ['after/s', 'SUCCEEDED', 1],
      ]);
      expect(traceLines(p)).toEqual(['start a', 'end a', 'start c', 'end c', 'start after', 'end after']);
    });
  });

  it('keeps each member’s own timeout inside the build', async () => {
    const p = project('');
    const yaml = header() + checks([traced(p, 'a'), traced(p, 'b', 10)], '      timeout: 2s\n');
    writeFileSync(p.file, yaml);
    expect(codeBuildTasks(yaml)).toBe(1);
    await withBackend(async (backend, home) => {
      const result = await runProject(backend, home, p);
      expect(result.failedNodes).toEqual(['checks/b']);
      expect(result.nodes.find((n) => n.node === 'checks/b')?.error?.Cause).toContain('timed out after 2s');
      expect(traceLines(p)).toEqual(['start a', 'end a', 'start b']);
    });
  });
});

describe('what does not fuse', () => {
  it('a stage with retries: each step is its own build, so a retry re-runs only the step that failed', async () => {
    const p = project('');
    const once = `${p.trace}.once`;
    const yaml =
      header() +
      checks(
        [traced(p, 'a'), `test -f ${once} || { touch ${once}; exit 1; }`],
        '      timeout: 60s\n      retries: 1\n',
      );
    writeFileSync(p.file, yaml);
    expect(codeBuildTasks(yaml)).toBe(2);
    await withBackend(async (backend, home) => {
      const result = await runProject(backend, home, p);
      expect(result.nodes.map((n) => [n.node, n.status, n.attempts])).toEqual([
        ['checks/a', 'SUCCEEDED', 1],
        ['checks/b', 'SUCCEEDED', 2],
      ]);
      expect(traceLines(p)).toEqual(['start a', 'end a']);
    });
  });

  it('steps whose timeouts add up to more than 15 minutes (the default timeout is 15 minutes on Lambda compute)', () => {
    expect(codeBuildTasks(header() + checks(['true', 'true'], ''))).toBe(2);
    expect(codeBuildTasks(header() + checks(['true', 'true', 'true'], '      timeout: 5m\n'))).toBe(1);
    expect(codeBuildTasks(header() + checks(['true', 'true', 'true', 'true'], '      timeout: 5m\n'))).toBe(
      2,
    );
  });
});
