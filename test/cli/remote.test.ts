import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EvidenceStore } from '../../lib/evidence/index.js';
import { backendClients, type LocalBackend, openLocalBackend } from '../../lib/local/index.js';
import { evidenceBucketName } from '../../lib/remote/index.js';
import { compilePipeline } from '../../statemachines/index.js';
import { mc } from '../support/cli.js';
import { FakeStepFunctions } from '../support/fake-sfn.js';
import { repoPath } from '../support/pipelines.js';
import { ACCOUNT, apiPlan, asDeployed, REGION, SHA } from '../support/remote.js';

// mc's real SDK clients against the stand-in on loopback (the requests cross the JSON protocol)
// and the embedded S3, holding the stack's evidence bucket under its default name.
const API = repoPath('examples/api/build.yaml');
const BUCKET = evidenceBucketName(ACCOUNT, REGION, 'dev');
const MACHINE = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:mc-api-dev`;
const EXECUTION = `arn:aws:states:${REGION}:${ACCOUNT}:execution:mc-api-dev:api-3f2a9c1b7d4e-a1`;

const sfn = new FakeStepFunctions();
let server: Awaited<ReturnType<FakeStepFunctions['listen']>>;
let backend: LocalBackend;
let s3: S3Client;
let env: Record<string, string>;

beforeAll(async () => {
  server = await sfn.listen();
  backend = await openLocalBackend(mkdtempSync(join(tmpdir(), 'mc-remote-cli-')));
  ({ s3 } = backendClients(backend.endpoints));
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  env = {
    // s3rver's keys; the Step Functions stand-in takes any.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL_SFN: server.endpoint,
    AWS_ENDPOINT_URL_S3: backend.endpoints.s3,
    MC_S3_FORCE_PATH_STYLE: 'true',
    MC_AWS_ACCOUNT: ACCOUNT,
    GITHUB_SHA: SHA,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REPOSITORY: 'acme/api',
    GITHUB_ACTOR: 'ana',
    GITHUB_EVENT_NAME: 'push',
  };
});
afterAll(async () => {
  await server.close();
  s3?.destroy();
  await backend?.close();
});
beforeEach(() => {
  sfn.requests.length = 0;
  sfn.executions.clear();
  sfn.deploy(MACHINE, asDeployed(compilePipeline(apiPlan())));
});

describe('mc run --remote', () => {
  it('starts the deployed machine and prints the documented JSON', async () => {
    const { code, stdout } = await mc(['run', API, '--remote', '--json'], { env });
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc).toMatchObject({
      remote: true,
      outcome: 'started',
      runId: 'api-3f2a9c1b7d4e-a1',
      pipeline: 'api',
      env: 'dev',
      stateMachineArn: MACHINE,
      executionArn: EXECUTION,
      executionName: 'api-3f2a9c1b7d4e-a1',
      status: 'RUNNING',
      startedAt: expect.stringMatching(/^2026-11-24T10:00:\d\d\.000Z$/),
      drift: { drifted: false, forced: false, differences: [], more: 0 },
      input: { runId: 'api-3f2a9c1b7d4e-a1', github: { sha: SHA, actor: 'ana' } },
    });
    expect(sfn.started().map((r) => r.input)).toEqual([
      { stateMachineArn: MACHINE, name: 'api-3f2a9c1b7d4e-a1', input: JSON.stringify(doc.input) },
    ]);
    // The machine's tasks read the run's plan from the bucket: mc wrote it before starting.
    expect(doc.input.evidence).toMatchObject({ bucket: BUCKET, prefix: 'runs/api/api-3f2a9c1b7d4e-a1/' });
    expect(await new EvidenceStore(s3, BUCKET).list(doc.input.evidence.prefix)).toEqual(
      ['pipeline.yaml', 'plan.json', 'statemachine.asl.json'].map((n) => `${doc.input.evidence.prefix}${n}`),
    );
  });

  it('exits 1 without starting when the evidence bucket is not there, naming it', async () => {
    const { code, stderr } = await mc(['run', API, '--remote', '--evidence-bucket', 'mc-no-such-bucket'], {
      env,
    });
    expect(code).toBe(1);
    expect(stderr).toContain('S3 PutObject under s3://mc-no-such-bucket/runs/api/');
    expect(stderr).toContain('NoSuchBucket');
    expect(sfn.started()).toHaveLength(0);
  });

  it('is idempotent when the CI job retries, and starts a new run with --rerun', async () => {
    expect((await mc(['run', API, '--remote'], { env })).code).toBe(0);
    const retried = await mc(['run', API, '--remote'], { env });
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain('was already started');
    expect(retried.stdout).toContain('not started again');
    expect(sfn.started()).toHaveLength(1);

    const rerun = await mc(['run', API, '--remote', '--rerun-id', 'two', '--json'], { env });
    expect(JSON.parse(rerun.stdout)).toMatchObject({
      outcome: 'started',
      executionName: 'api-3f2a9c1b7d4e-a1-rtwo',
    });
    expect(sfn.started()).toHaveLength(2);
  });

  it('exits 1 when the name was used with another input', async () => {
    await mc(['run', API, '--remote'], { env });
    const other = await mc(['run', API, '--remote', '--json'], { env: { ...env, GITHUB_ACTOR: 'bob' } });
    expect(other.code).toBe(1);
    expect(JSON.parse(other.stdout).error).toMatch(/already exists with a different input.*--rerun/);
  });

  it('refuses a drifted machine with exit 1, and starts it with --force saying so', async () => {
    sfn.deploy(MACHINE, asDeployed(compilePipeline(apiPlan())).replace('npm test', 'npm run old'));
    const refused = await mc(['run', API, '--remote', '--json'], { env });
    expect(refused.code).toBe(1);
    const doc = JSON.parse(refused.stdout);
    expect(doc.error).toMatch(/differs from this pipeline's local compile \(1 difference\).*--force/);
    expect(doc.drift.differences[0].path).toMatch(/BuildspecOverride$/);
    expect(sfn.started()).toHaveLength(0);

    const forced = await mc(['run', API, '--remote', '--force'], { env });
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('--force: starting although the deployed state machine differs');
    expect(forced.stderr).toContain('npm run old');
    expect(sfn.started()).toHaveLength(1);
  });

  it('exits 1 naming the machine when none is deployed, and 2 for command-line mistakes', async () => {
    sfn.machines.clear();
    const missing = await mc(['run', API, '--remote'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no state machine mc-api-dev in account 123456789012, region eu-west-1');

    const { MC_AWS_ACCOUNT: _account, ...noAccount } = env;
    const noTarget = await mc(['run', API, '--remote'], { env: noAccount });
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('a remote run needs --state-machine-arn');
    expect((await mc(['run', API, '--force'], { env })).code).toBe(2);
    expect((await mc(['run', API, '--remote', '--rerun-id', 'a.b'], { env })).code).toBe(2);
    expect((await mc(['run', API, '--remote', '--dry-run'], { env })).code).toBe(2);
    expect((await mc(['run', API, '--remote', '--state-machine-arn', 'nope'], { env })).code).toBe(2);
  });
});

describe('mc status --remote', () => {
  it('reads the execution back with --json and as text', async () => {
    const started = JSON.parse((await mc(['run', API, '--remote', '--json'], { env })).stdout);
    const { code, stdout } = await mc(['status', '--remote', started.executionArn, '--json'], { env });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      executionArn: EXECUTION,
      stateMachineArn: MACHINE,
      executionName: 'api-3f2a9c1b7d4e-a1',
      runId: 'api-3f2a9c1b7d4e-a1',
      pipeline: 'api',
      env: 'dev',
      status: 'RUNNING',
      startedAt: started.startedAt,
      endedAt: null,
      error: null,
      nodes: [],
    });
    const text = await mc(['status', '--remote', EXECUTION], { env });
    expect(text.stdout).toContain('run api-3f2a9c1b7d4e-a1 of api (dev): RUNNING');
  });

  it('exits 1 for an unknown execution and 2 without an execution ARN', async () => {
    expect((await mc(['status', '--remote', EXECUTION], { env })).code).toBe(1);
    expect((await mc(['status', '--remote'], { env })).code).toBe(2);
    expect((await mc(['status', '--remote', 'api-3f2a9c1b7d4e-a1'], { env })).code).toBe(2);
  });
});
