import { describe, expect, it } from 'vitest';
import {
  type GithubContext,
  parsePayload,
  type RunInput,
  type RunStartPayload,
} from '../../lib/contract/index.js';
import {
  DriftError,
  parseStateMachineArn,
  RemoteError,
  remoteRunInput,
  resolveTarget,
  startRemoteRun,
} from '../../lib/remote/index.js';
import { compilePipeline } from '../../statemachines/index.js';
import { FakeStepFunctions } from '../support/fake-sfn.js';
import { ACCOUNT, apiPlan, asDeployed, REGION, SHA } from '../support/remote.js';

const MACHINE = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:mc-api-dev`;
const GITHUB: Required<GithubContext> = {
  sha: SHA,
  ref: 'refs/heads/main',
  repository: 'acme/api',
  actor: 'ana',
  event_name: 'push',
};

function setup(options: { deployed?: string; env?: Record<string, string>; rerun?: boolean | string } = {}) {
  const sfn = new FakeStepFunctions();
  const plan = apiPlan();
  const definition = compilePipeline(plan);
  sfn.deploy(MACHINE, options.deployed ?? asDeployed(definition));
  const env = { AWS_REGION: REGION, MC_AWS_ACCOUNT: ACCOUNT, ...options.env };
  const target = resolveTarget(plan, {}, env);
  const input = remoteRunInput(plan, GITHUB, target.bucket, { rerun: options.rerun }, env, () => new Date(0));
  const start = (force = false, runInput: RunInput = input) =>
    startRemoteRun({
      sfn,
      machine: target.machine,
      definition,
      input: runInput,
      name: runInput.runId,
      force,
    });
  return { sfn, plan, target, input, start };
}

describe('starting a remote run', () => {
  it('finds the stack machine from account and region and starts it with the run input', async () => {
    // Prepare
    const { sfn, target, input, start } = setup();
    // Act
    const result = await start();
    // Assess
    expect(target).toEqual({
      machine: parseStateMachineArn(MACHINE),
      bucket: `mc-evidence-${ACCOUNT}-${REGION}-dev`,
    });
    expect(result).toMatchObject({
      outcome: 'started',
      executionName: 'api-3f2a9c1b7d4e-a1',
      executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:mc-api-dev:api-3f2a9c1b7d4e-a1`,
      status: 'RUNNING',
      drift: { drifted: false, forced: false },
    });
    expect(sfn.requests.map((r) => r.op)).toEqual([
      'DescribeStateMachine',
      'DescribeExecution',
      'StartExecution',
    ]);
    expect(sfn.requests[0].input).toEqual({ stateMachineArn: MACHINE });
    expect(sfn.requests[2].input).toEqual({
      stateMachineArn: MACHINE,
      name: 'api-3f2a9c1b7d4e-a1',
      input: JSON.stringify(input),
    });
  });

  it('hands the machine exactly the local engine input shape, which Start run accepts', () => {
    const { input } = setup();
    expect(input).toEqual({
      runId: 'api-3f2a9c1b7d4e-a1',
      pipeline: 'api',
      env: 'dev',
      github: GITHUB,
      evidence: {
        bucket: `mc-evidence-${ACCOUNT}-${REGION}-dev`,
        prefix: 'runs/api/api-3f2a9c1b7d4e-a1/',
        uri: `s3://mc-evidence-${ACCOUNT}-${REGION}-dev/runs/api/api-3f2a9c1b7d4e-a1/`,
      },
    });
    expect(parsePayload<RunStartPayload>('runStart', { run: input }).run).toEqual(input);
  });

  it('takes the attempt from GITHUB_RUN_ATTEMPT', () => {
    expect(setup({ env: { GITHUB_RUN_ATTEMPT: '3' } }).input.runId).toBe('api-3f2a9c1b7d4e-a3');
  });
});

describe('a retried start', () => {
  it('reports the execution already started instead of starting a second one, while it runs', async () => {
    // Prepare
    const { sfn, start } = setup();
    const first = await start();
    // Act
    const again = await start();
    // Assess
    expect(again).toMatchObject({ outcome: 'existing', executionArn: first.executionArn, status: 'RUNNING' });
    expect(again.startDate).toBe(first.startDate);
    expect(sfn.started()).toHaveLength(1);
    expect(sfn.executions.size).toBe(1);
  });

  it('reports it too once it ended (where StartExecution itself would refuse the name)', async () => {
    const { sfn, start } = setup();
    const first = await start();
    sfn.finish(first.executionArn, 'SUCCEEDED');
    await expect(start()).resolves.toMatchObject({ outcome: 'existing', status: 'SUCCEEDED' });
    expect(sfn.started()).toHaveLength(1);
  });

  it('refuses when the name was used with another input, and says --rerun', async () => {
    const { sfn, input, start } = setup();
    await start();
    const other = { ...input, github: { ...input.github, actor: 'bob' } };
    await expect(start(false, other)).rejects.toMatchObject({ code: 'NAME_TAKEN', message: /--rerun/ });
    expect(sfn.started()).toHaveLength(1);
  });

  it('reports the execution a parallel start created between the lookup and its own start', async () => {
    // Prepare: another job starts the same run right after this one looked.
    const { sfn, input, start } = setup();
    const send = sfn.send;
    let raced = false;
    sfn.send = async (command) => {
      if (!raced && sfn.requests.at(-1)?.op === 'DescribeExecution') {
        raced = true;
        await send(command);
        sfn.finish(`arn:aws:states:${REGION}:${ACCOUNT}:execution:mc-api-dev:${input.runId}`, 'SUCCEEDED');
      }
      return send(command);
    };
    // Act
    const result = await start();
    // Assess: its own StartExecution met ExecutionAlreadyExists and found the same input.
    expect(result).toMatchObject({ outcome: 'existing', status: 'SUCCEEDED' });
    expect(sfn.requests.map((r) => r.op)).toEqual([
      'DescribeStateMachine',
      'DescribeExecution',
      'StartExecution',
      'StartExecution',
      'DescribeExecution',
    ]);
  });
});

describe('--rerun', () => {
  it('starts a new execution of the same commit and attempt, named after the rerun id', async () => {
    const { sfn, start } = setup();
    await start();
    const rerun = setup({ rerun: 'second' });
    rerun.sfn.executions.clear();
    for (const [arn, e] of sfn.executions) rerun.sfn.executions.set(arn, e);
    const result = await rerun.start();
    expect(result).toMatchObject({ outcome: 'started', executionName: 'api-3f2a9c1b7d4e-a1-rsecond' });
    expect(rerun.sfn.executions.size).toBe(2);
  });

  it('without an id takes one from the clock', () => {
    expect(setup({ rerun: true }).input.runId).toBe('api-3f2a9c1b7d4e-a1-r0');
  });
});

describe('drift', () => {
  const changed = () => asDeployed(compilePipeline(apiPlan())).replace('npm test', 'npm run test:old');

  it('refuses to start when the deployed definition differs, naming where', async () => {
    const { sfn, start } = setup({ deployed: changed() });
    const error = await start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriftError);
    expect((error as DriftError).report.differences[0].path).toMatch(/BuildspecOverride$/);
    expect(sfn.requests.map((r) => r.op)).toEqual(['DescribeStateMachine']);
  });

  it('starts anyway with --force and says it was forced', async () => {
    const { sfn, start } = setup({ deployed: changed() });
    const result = await start(true);
    expect(result).toMatchObject({ outcome: 'started', drift: { drifted: true, forced: true } });
    expect(sfn.started()).toHaveLength(1);
  });

  it('names the machine and the fix when none is deployed', async () => {
    const { sfn, start } = setup();
    sfn.machines.clear();
    await expect(start()).rejects.toMatchObject({
      code: 'NO_STATE_MACHINE',
      message: expect.stringContaining('no state machine mc-api-dev in account 123456789012'),
    });
  });
});

describe('the target', () => {
  it('prefers --state-machine-arn, then MC_STATE_MACHINE_ARN, and takes the bucket from MC_EVIDENCE_BUCKET', () => {
    const plan = apiPlan();
    const other = 'arn:aws:states:us-east-1:210987654321:stateMachine:custom';
    expect(
      resolveTarget(plan, { stateMachineArn: other }, { MC_STATE_MACHINE_ARN: MACHINE }).machine.arn,
    ).toBe(other);
    const fromEnv = resolveTarget(
      plan,
      {},
      { MC_STATE_MACHINE_ARN: MACHINE, MC_EVIDENCE_BUCKET: 'evidence' },
    );
    expect(fromEnv).toMatchObject({ machine: { arn: MACHINE, region: REGION }, bucket: 'evidence' });
  });

  it('says what is missing when neither an ARN nor account and region are known', () => {
    expect(() => resolveTarget(apiPlan(), {}, { AWS_REGION: REGION })).toThrow(
      /--state-machine-arn \(or MC_STATE_MACHINE_ARN\), or --account \(or MC_AWS_ACCOUNT\)/,
    );
    expect(() => resolveTarget(apiPlan(), { account: '12' }, { AWS_REGION: REGION })).toThrow(RemoteError);
  });

  it('needs a commit', () => {
    const plan = apiPlan();
    expect(() => remoteRunInput(plan, { ...GITHUB, sha: '' }, 'b', {}, {})).toThrow(/none is known/);
  });
});
