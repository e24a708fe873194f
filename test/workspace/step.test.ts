import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { evidenceLocation } from '../../lib/contract/index.js';
import { EVIDENCE } from '../../lib/evidence/index.js';
import { LOCAL_BUCKET, LOCAL_TABLE } from '../../lib/local/index.js';
import { analyzePipeline, type Plan } from '../../lib/plan/index.js';
import { compilePipeline, type StateMachineDefinition } from '../../statemachines/index.js';
import { withBackend } from '../support/local-run.js';
import { pipelineYaml, repoPath } from '../support/pipelines.js';

const run = promisify(execFile);

// The fused build task of a compiled pipeline: its buildspec and environment, as CodeBuild gets them.
function fusedTask(definition: StateMachineDefinition): {
  buildspec: { phases: Record<string, { commands: string[] }> };
  env: Record<string, string>;
} {
  const found: { Parameters: Record<string, unknown> }[] = [];
  const walk = (m: StateMachineDefinition) => {
    for (const s of Object.values(m.States) as unknown as Record<string, unknown>[]) {
      if (s.Resource === 'arn:aws:states:::codebuild:startBuild.sync') found.push(s as never);
      if (s.Type === 'Parallel') for (const b of s.Branches as StateMachineDefinition[]) walk(b);
    }
  };
  walk(definition);
  expect(found).toHaveLength(1);
  const params = found[0].Parameters;
  const env = Object.fromEntries(
    (params.EnvironmentVariablesOverride as { Name: string; Value?: string }[])
      .filter((v) => v.Value !== undefined)
      .map((v) => [v.Name, String(v.Value)]),
  );
  return { buildspec: parse(String(params.BuildspecOverride)), env };
}

describe('a fused build as CodeBuild runs it (bash, the mc-workspace tool, DynamoDB and S3)', () => {
  it('records each member, and a retry of the build reuses the members that succeeded', async () => {
    const { plan } = analyzePipeline(
      'f',
      pipelineYaml(
        '    - name: checks\n      timeout: 60s\n      steps:\n' +
          '        - {name: a, command: "echo \'one\' > a.txt; echo ran-a >> $TRACE"}\n' +
          '        - {name: b, command: "test -f fixed && test -f a.txt && echo ran-b >> $TRACE"}\n',
      ),
    );
    if (!plan) throw new Error('must plan');
    const { buildspec, env: buildEnv } = fusedTask(compilePipeline(plan));
    expect(buildspec.phases.build.commands).toHaveLength(2);
    await withBackend(async (backend) => {
      const location = evidenceLocation(LOCAL_BUCKET, plan.pipeline, 'run-1');
      await backend.state.createRun({
        runId: 'run-1',
        pipeline: plan.pipeline,
        env: 'dev',
        status: 'RUNNING',
        startedAt: 'now',
        github: {},
        evidence: location,
        resumes: 0,
      });
      await backend.evidence.putJsonOnce(`${location.prefix}${EVIDENCE.plan}`, plan as Plan);
      const bin = mkdtempSync(join(tmpdir(), 'mc-bin-'));
      writeFileSync(
        join(bin, 'mc-workspace'),
        `#!/bin/sh\nexec "${process.execPath}" "${repoPath('dist/mc-workspace.js')}" "$@"\n`,
      );
      chmodSync(join(bin, 'mc-workspace'), 0o755);
      const trace = join(mkdtempSync(join(tmpdir(), 'mc-trace-')), 'trace');
      const env = {
        ...process.env,
        ...buildEnv,
        PATH: `${bin}:${process.env.PATH}`,
        TRACE: trace,
        MC_EVIDENCE: location.uri,
        MC_STATE_TABLE: LOCAL_TABLE,
        AWS_ENDPOINT_URL_DYNAMODB: backend.endpoints.dynamodb,
        AWS_ENDPOINT_URL_S3: backend.endpoints.s3,
        MC_S3_FORCE_PATH_STYLE: 'true',
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        AWS_REGION: 'us-east-1',
      };
      // One CodeBuild build: the build phase until a command fails, then post_build.
      const build = async (): Promise<boolean> => {
        const dir = mkdtempSync(join(tmpdir(), 'mc-build-'));
        const vars = { ...env, TMPDIR: mkdtempSync(join(tmpdir(), 'mc-tmp-')), CODEBUILD_SRC_DIR: dir };
        let ok = true;
        for (const command of buildspec.phases.build.commands) {
          ok = await run('bash', ['-c', command], { cwd: dir, env: vars }).then(
            () => true,
            () => false,
          );
          if (!ok) break;
        }
        await run('bash', ['-c', buildspec.phases.post_build.commands[0]], {
          cwd: dir,
          env: { ...vars, CODEBUILD_BUILD_SUCCEEDING: ok ? '1' : '0' },
        });
        // b's workspace held what a produced, in both builds.
        expect(existsSync(join(dir, 'a.txt'))).toBe(true);
        return ok;
      };
      const nodes = async () => backend.state.getNodesById('run-1', ['checks/a', 'checks/b']);

      expect(await build()).toBe(false);
      const first = await nodes();
      expect(first.get('checks/a')).toMatchObject({
        status: 'SUCCEEDED',
        attempts: 1,
        outputs: `${location.prefix}${EVIDENCE.nodeOutputs('checks/a', 1)}`,
      });
      expect(first.get('checks/b')).toMatchObject({ status: 'RUNNING', attempts: 1 });
      expect(JSON.parse(String(first.get('checks/b')?.error?.Cause))).toEqual({
        node: 'checks/b',
        message: expect.stringContaining('command exited with 1: test -f fixed'),
      });

      writeFileSync(trace, '');
      // The retry's source has the fix; a is reused (its command does not run), b's output was laid by a.
      const fixedBuild = async () => {
        const saved = buildspec.phases.build.commands;
        buildspec.phases.build.commands = saved.map((c) => `touch fixed; ${c}`);
        try {
          return await build();
        } finally {
          buildspec.phases.build.commands = saved;
        }
      };
      expect(await fixedBuild()).toBe(true);
      const second = await nodes();
      expect(second.get('checks/a')).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
      expect(second.get('checks/b')).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
      expect(readFileSync(trace, 'utf8')).toBe('ran-b\n');
    });
  });
});
