import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type {
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  MiddlewareStack,
} from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidenceStore } from '../../lib/evidence/index.js';
import { backendClients, type LocalBackend, openLocalBackend } from '../../lib/local/index.js';
import { analyzePipeline } from '../../lib/plan/index.js';
import {
  describeRemoteRun,
  evidenceBucketName,
  prepareRemoteRun,
  REMOTE_CALLS,
  type RemoteRunRequest,
} from '../../lib/remote/index.js';
import { compilePipeline } from '../../statemachines/index.js';
import { FakeStepFunctions } from '../support/fake-sfn.js';
import { readRepoFile, repoPath } from '../support/pipelines.js';
import { ACCOUNT, asDeployed, REGION, SHA } from '../support/remote.js';

// `mc run --remote` end to end below the CLI: Step Functions is the in-memory stand-in, S3 the
// embedded s3rver holding the stack's bucket under its default name.
const FILE = repoPath('examples/api/build.yaml');
const TEXT = readRepoFile('examples/api/build.yaml');
const MACHINE = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:mc-api-dev`;
const BUCKET = evidenceBucketName(ACCOUNT, REGION, 'dev');
const ENV = {
  AWS_REGION: REGION,
  MC_AWS_ACCOUNT: ACCOUNT,
  GITHUB_SHA: SHA,
  GITHUB_REF: 'refs/heads/main',
  GITHUB_REPOSITORY: 'acme/api',
  GITHUB_ACTOR: 'ana',
  GITHUB_EVENT_NAME: 'push',
};

let backend: LocalBackend;
let s3: S3Client;
// Every S3 request mc sends, with its input.
const s3Requests: { op: string; input: Record<string, unknown> }[] = [];

beforeAll(async () => {
  backend = await openLocalBackend(mkdtempSync(join(tmpdir(), 'mc-remote-home-')));
  ({ s3 } = backendClients(backend.endpoints));
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  (s3.middlewareStack as unknown as MiddlewareStack<object, object>).add(
    (next: InitializeHandler<object, object>, context: HandlerExecutionContext) =>
      async (args: InitializeHandlerArguments<object>) => {
        const op = String(context.commandName).replace(/Command$/, '');
        s3Requests.push({ op, input: { ...(args.input as Record<string, unknown>) } });
        return next(args);
      },
    { step: 'initialize', name: 'recordRequests' },
  );
}, 30_000);
afterAll(async () => {
  s3?.destroy();
  await backend?.close();
});

function setup(options: { deployed?: string; s3?: Pick<S3Client, 'send' | 'destroy'>; rerun?: string } = {}) {
  s3Requests.length = 0;
  const sfn = new FakeStepFunctions();
  const analysis = analyzePipeline(FILE, TEXT, { env: 'dev' });
  const plan = analysis.plan;
  const pipeline = analysis.loaded.pipeline;
  if (!plan || !pipeline) throw new Error('the api example does not plan');
  sfn.deploy(MACHINE, options.deployed ?? asDeployed(compilePipeline(plan)));
  const request: RemoteRunRequest = {
    file: FILE,
    pipeline,
    plan,
    flags: { rerun: options.rerun },
    env: ENV,
    client: () => sfn,
    s3: () => (options.s3 ?? s3) as S3Client,
  };
  const evidence = new EvidenceStore(s3, BUCKET);
  return { sfn, plan, evidence, prepared: prepareRemoteRun(request) };
}

describe('mc run --remote and the run’s evidence', () => {
  it('writes pipeline.yaml, plan.json and statemachine.asl.json into the stack’s bucket before StartExecution', async () => {
    // Prepare: at StartExecution, note which opening objects are already there.
    const { sfn, plan, evidence, prepared } = setup({ rerun: 'opening' });
    const prefix = prepared.input.evidence.prefix;
    const send = sfn.send;
    const presentAtStart: boolean[] = [];
    sfn.send = async (command) => {
      if ((command as object).constructor.name === 'StartExecutionCommand')
        for (const name of ['pipeline.yaml', 'plan.json', 'statemachine.asl.json'])
          presentAtStart.push(await evidence.exists(`${prefix}${name}`));
      return send(command);
    };
    // Act
    const result = await prepared.start();
    // Assess: the same keys and content as a local run's (lib/evidence writeRunOpening).
    expect(result.outcome).toBe('started');
    expect(prepared.input.evidence.bucket).toBe(BUCKET);
    expect(presentAtStart).toEqual([true, true, true]);
    expect(await evidence.getText(`${prefix}pipeline.yaml`)).toBe(TEXT);
    expect(await evidence.getText(`${prefix}plan.json`)).toBe(`${JSON.stringify(plan, null, 2)}\n`);
    expect(await evidence.getJson(`${prefix}statemachine.asl.json`)).toEqual(compilePipeline(plan));
  });

  it('writes with conditional puts only: no HeadObject or GetObject, which the CI role may not call', async () => {
    const { prepared } = setup({ rerun: 'puts' });
    await prepared.start();
    expect(s3Requests.map((r) => r.op)).toEqual(['PutObject', 'PutObject', 'PutObject']);
    for (const { input } of s3Requests) {
      expect(input).toMatchObject({ Bucket: BUCKET, IfNoneMatch: '*' });
      expect(String(input.Key)).toMatch(/^runs\/api\/api-3f2a9c1b7d4e-a1-rputs\//);
    }
  });

  it('keeps the first write when a key exists (PreconditionFailed) and still starts', async () => {
    // Prepare: S3 as it answers a conditional put of a key a racing start already wrote.
    const preconditionFailed = {
      send: async (command: unknown) => {
        expect(command).toBeInstanceOf(PutObjectCommand);
        throw Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), {
          name: 'PreconditionFailed',
          $metadata: { httpStatusCode: 412 },
        });
      },
      destroy: () => {},
    };
    const { sfn, prepared } = setup({ s3: preconditionFailed as never, rerun: 'raced' });
    // Act / Assess
    await expect(prepared.start()).resolves.toMatchObject({ outcome: 'started' });
    expect(sfn.started()).toHaveLength(1);
  });

  it('does not start when the evidence cannot be written, and says which call failed', async () => {
    const denied = {
      send: async () => {
        throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
      },
      destroy: () => {},
    };
    const { sfn, prepared } = setup({ s3: denied as never, rerun: 'denied' });
    await expect(prepared.start()).rejects.toMatchObject({
      code: 'AWS',
      message: expect.stringMatching(
        new RegExp(`^S3 PutObject under s3://${BUCKET}/runs/api/.*AccessDenied.*docs/github-actions.md`),
      ),
    });
    expect(sfn.started()).toHaveLength(0);
  });

  it('writes nothing on drift, nor when the execution already exists', async () => {
    const { plan } = setup();
    const drifted = setup({
      deployed: asDeployed(compilePipeline(plan)).replace('npm test', 'npm run old'),
      rerun: 'drift',
    });
    await expect(drifted.prepared.start()).rejects.toMatchObject({ code: 'DRIFT' });
    expect(s3Requests).toEqual([]);
    expect(await drifted.evidence.list('runs/api/api-3f2a9c1b7d4e-a1-rdrift/')).toEqual([]);

    const { sfn, prepared } = setup({ rerun: 'twice' });
    await prepared.start();
    s3Requests.length = 0;
    await expect(prepared.start()).resolves.toMatchObject({ outcome: 'existing' });
    expect(s3Requests).toEqual([]);
    expect(sfn.started()).toHaveLength(1);
  });
});

describe('the calls mc run --remote and mc status --remote make', () => {
  it('are exactly REMOTE_CALLS, the list the CI role is granted from', async () => {
    const { sfn, prepared } = setup({ rerun: 'calls' });
    const { executionArn } = await prepared.start();
    await describeRemoteRun(sfn, executionArn);
    const made = new Set([...sfn.requests.map((r) => `sfn:${r.op}`), ...s3Requests.map((r) => `s3:${r.op}`)]);
    expect([...made].sort()).toEqual([...REMOTE_CALLS].sort());
  });
});
