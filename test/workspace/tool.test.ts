import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { evidenceLocation } from '../../lib/contract/index.js';
import { EVIDENCE } from '../../lib/evidence/index.js';
import { LOCAL_BUCKET, LOCAL_TABLE } from '../../lib/local/index.js';
import { analyzePipeline } from '../../lib/plan/index.js';
import { withBackend } from '../support/local-run.js';
import { pipelineYaml, repoPath } from '../support/pipelines.js';

const run = promisify(execFile);

describe("mc-workspace, the stage builds' workspace tool (as CodeBuild runs it)", () => {
  it('restores what dependencies produced and saves what the node changed, against DynamoDB and S3', async () => {
    await withBackend(async (backend) => {
      const { plan } = analyzePipeline(
        'f',
        pipelineYaml(
          '    - name: a\n      steps: [{name: s, command: x}]\n    - name: b\n      depends_on: [a]\n      steps: [{name: s, command: y}]\n',
          "  cache:\n    tools:\n      key: tools-${{ hashFiles('lock.txt') }}\n      paths: [~/.tool-cache]\n",
        ),
      );
      if (!plan) throw new Error('must plan');
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
      await backend.evidence.putJsonOnce(`${location.prefix}${EVIDENCE.plan}`, plan);
      const env = (node: string, extra: Record<string, string> = {}) => ({
        ...process.env,
        MC_NODE_ID: node,
        MC_EVIDENCE: location.uri,
        MC_STATE_TABLE: LOCAL_TABLE,
        AWS_ENDPOINT_URL_DYNAMODB: backend.endpoints.dynamodb,
        AWS_ENDPOINT_URL_S3: backend.endpoints.s3,
        MC_S3_FORCE_PATH_STYLE: 'true',
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        AWS_REGION: 'us-east-1',
        TMPDIR: mkdtempSync(join(tmpdir(), 'mc-tool-')),
        ...extra,
      });
      const tool = repoPath('dist/mc-workspace.js');
      const dirA = mkdtempSync(join(tmpdir(), 'mc-build-a-'));
      writeFileSync(join(dirA, 'lock.txt'), 'v1');
      // Each build has a home of its own, as each CodeBuild build starts on a fresh machine.
      const homeA = mkdtempSync(join(tmpdir(), 'mc-home-a-'));
      const envA = env('a/s', { HOME: homeA });
      expect((await run(process.execPath, [tool, 'restore'], { cwd: dirA, env: envA })).stdout).toContain(
        'attempt 1',
      );
      writeFileSync(join(dirA, 'made.txt'), 'by a');
      mkdirSync(join(homeA, '.tool-cache'));
      writeFileSync(join(homeA, '.tool-cache', 'tool.bin'), 'downloaded by a');
      await run(process.execPath, [tool, 'save'], {
        cwd: dirA,
        env: { ...envA, CODEBUILD_BUILD_SUCCEEDING: '1' },
      });
      expect((await backend.state.getNodesById('run-1', ['a/s'])).get('a/s')).toMatchObject({
        status: 'SUCCEEDED',
        attempts: 1,
      });

      const dirB = mkdtempSync(join(tmpdir(), 'mc-build-b-'));
      writeFileSync(join(dirB, 'lock.txt'), 'v1');
      const homeB = mkdtempSync(join(tmpdir(), 'mc-home-b-'));
      const envB = env('b/s', { HOME: homeB });
      await run(process.execPath, [tool, 'restore'], { cwd: dirB, env: envB });
      expect(readFileSync(join(dirB, 'made.txt'), 'utf8')).toBe('by a');
      expect(readFileSync(join(homeB, '.tool-cache', 'tool.bin'), 'utf8')).toBe('downloaded by a');
      await run(process.execPath, [tool, 'save'], {
        cwd: dirB,
        env: { ...envB, CODEBUILD_BUILD_SUCCEEDING: '0' },
      });
      const b = (await backend.state.getNodesById('run-1', ['b/s'])).get('b/s');
      expect(b).toMatchObject({ status: 'RUNNING', attempts: 1, error: { Error: 'MC.StepFailed' } });
      expect(existsSync(join(dirB, 'made.txt'))).toBe(true);
    });
  });

  it('refuses to run without its environment', async () => {
    const failure = await run(process.execPath, [repoPath('dist/mc-workspace.js'), 'restore'], {
      env: { PATH: process.env.PATH, MC_STATE_TABLE: 't', MC_EVIDENCE_BUCKET: 'b' },
    }).catch((e) => e);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain('mc-workspace needs MC_NODE_ID and MC_EVIDENCE');
  });
});
