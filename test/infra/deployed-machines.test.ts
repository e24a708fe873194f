import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pushEvent } from '../../lib/images/index.js';
import {
  compileForEnvironment,
  FUNCTION_PERMISSIONS,
  pipelineMachineName,
  toCompiledDefinition,
} from '../../lib/infra/index.js';
import { STAGE_RUNNER_CALLS } from '../../lib/infra/stage-runner-calls.js';
import { type LocalBackend, openLocalBackend, runImageMachine } from '../../lib/local/index.js';
import type { EnvName } from '../../lib/plan/index.js';
import { REMOTE_CALLS } from '../../lib/remote/index.js';
import { FUNCTIONS, PIPELINE_FUNCTIONS, type PipelineFunction } from '../../statemachines/index.js';
import { signAndAttest, testAdmission, testPromotionMap, trustedKey } from '../support/admission.js';
import { pushTestImage, startRegistry, type TestRegistry } from '../support/registry.js';
import {
  CallLog,
  currentFunction,
  recordingAdmission,
  recordingDeps,
  STAGE_BUILD,
} from './support/recorded-calls.js';
import { type DeployedRunResult, runDeployed } from './support/run-deployed.js';
import { ROOT, resolveDefinition, resourcesOf, synthesizePlatform } from './support/synth.js';

// Each handler the local engine calls runs inside `currentFunction`, so the AWS calls it makes are
// attributed to it. The handlers themselves are the real ones.
vi.mock('../../lambdas/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../lambdas/index.js')>();
  const { currentFunction: running } = await import('./support/recorded-calls.js');
  return {
    ...original,
    platformHandlers: (deps: Parameters<typeof original.platformHandlers>[0]) =>
      Object.fromEntries(
        Object.entries(original.platformHandlers(deps)).map(([name, handler]) => [
          name,
          (event: unknown) => running.run(name, () => handler(event)),
        ]),
      ),
    imageHandlers: (deps: Parameters<typeof original.imageHandlers>[0]) =>
      Object.fromEntries(
        Object.entries(original.imageHandlers(deps)).map(([name, handler]) => [
          name,
          (event: unknown) => running.run(name, () => handler(event)),
        ]),
      ),
  };
});

const { templates, configs } = synthesizePlatform();
const ENVS: EnvName[] = ['dev', 'staging', 'prod'];

// The pipeline's machine definition as Step Functions would return it (DescribeStateMachine).
function deployedDefinition(env: EnvName, file: string): string {
  const { plan } = compileForEnvironment(file, env, ROOT);
  const machine = Object.values(resourcesOf(templates[env], 'AWS::StepFunctions::StateMachine')).find(
    (m) => m.Properties?.StateMachineName === pipelineMachineName(plan.pipeline, env),
  );
  return resolveDefinition(templates[env], configs[env], machine?.Properties?.DefinitionString);
}

let backend: LocalBackend;
let home: string;
let registry: TestRegistry;
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'mc-infra-home-'));
  backend = await openLocalBackend(home);
  registry = await startRegistry();
});
afterAll(async () => {
  await backend?.close();
  await registry?.close();
});

// The verify-image machine's definition as Step Functions would return it, mapped back.
function deployedVerifyImage(env: EnvName): unknown {
  const machine = Object.values(resourcesOf(templates[env], 'AWS::StepFunctions::StateMachine')).find(
    (m) => m.Properties?.StateMachineName === `mc-verify-image-${env}`,
  );
  return toCompiledDefinition(
    JSON.parse(resolveDefinition(templates[env], configs[env], machine?.Properties?.DefinitionString)),
    env,
  );
}

const imageLog = new CallLog();

describe.each(ENVS)('the %s stack’s verify-image machine, mapped back to the local handlers', (env) => {
  it('verifies a signed and attested push, and promotes it where there is a next environment', async () => {
    // Prepare: an image in the environment's repository of a promotion map on the test registry.
    const key = trustedKey();
    const client = registry.client();
    const image = await pushTestImage(client, `${env}/api`, 'v1', `deployed ${env}`);
    await signAndAttest(client, `${registry.host}/${env}/api@${image.digest}`, key.privateKey);
    const admission = testAdmission(backend, {
      trustPolicy: key.trustPolicy,
      map: testPromotionMap(registry.host),
      registryHost: registry.host,
    });

    // Act
    const run = await runImageMachine({
      definition: deployedVerifyImage(env) as never,
      event: pushEvent({
        eventId: randomUUID(),
        account: configs[env].account,
        region: configs[env].region,
        repository: `${env}/api`,
        digest: image.digest,
        tag: 'v1',
      }) as never,
      deps: recordingAdmission(backend, imageLog, admission.deps),
      events: async () => {},
      retryDelayMs: 0,
    });

    // Assess
    expect(run.status, JSON.stringify(run.error)).toBe('SUCCEEDED');
    expect(run.states.at(-1)).toBe(env === 'prod' ? 'Verified' : 'Promoted');
  });
});

describe('the image functions', () => {
  it.each(['verifyImage', 'promoteImage'] as const)(
    'make, in %s, only AWS calls its permission list grants',
    (fn) => {
      const made = imageLog.of(FUNCTIONS[fn]);
      expect(made.length).toBeGreaterThan(0);
      expect(made.filter((call) => !FUNCTION_PERMISSIONS[fn].includes(call as never))).toEqual([]);
    },
  );
});

describe.each(ENVS)('the %s stack’s pipeline machines, mapped back to the local handlers', (env) => {
  it.each(configs[env].pipelines)(
    'start (mc run --remote) and walk %s green through the local engine',
    async (file) => {
      const log = new CallLog();
      const result = await runDeployed({
        backend,
        home,
        deps: recordingDeps(backend, home, log),
        file: resolve(ROOT, file),
        config: configs[env],
        deployed: deployedDefinition(env, resolve(ROOT, file)),
        dryRun: true,
      });
      expect(result.started).toMatchObject({ outcome: 'started', drift: { drifted: false } });
      expect(result).toMatchObject({ status: 'SUCCEEDED', failedNodes: [] });
    },
  );
});

describe('a real run of the prod api machine (commands, sign, attest, gate)', () => {
  const log = new CallLog();
  const file = resolve(ROOT, 'examples/api/build.yaml');
  let run: DeployedRunResult;
  beforeAll(async () => {
    run = await runDeployed({
      backend,
      home,
      deps: recordingDeps(backend, home, log),
      file,
      config: configs.prod,
      deployed: deployedDefinition('prod', file),
    });
    if (run.status !== 'SUCCEEDED')
      console.error(JSON.stringify(await backend.state.getNodes(run.runId), null, 1));
  }, 120_000);

  it('succeeds', () => expect(run.status).toBe('SUCCEEDED'));

  it('was started by mc run --remote’s code, which wrote the evidence the local engine writes', async () => {
    const prefix = `runs/api/${run.runId}/`;
    expect(await backend.evidence.getText(`${prefix}pipeline.yaml`)).toBe(readFileSync(file, 'utf8'));
    expect(await backend.evidence.getJson(`${prefix}plan.json`)).toEqual(
      JSON.parse(JSON.stringify(run.plan)),
    );
    expect(await backend.evidence.getJson(`${prefix}statemachine.asl.json`)).toEqual(
      compileForEnvironment(file, 'prod', ROOT).definition,
    );
  });

  it('started it making only calls the CI role grants, and no read of the bucket', () => {
    expect(run.remoteCalls).toEqual([
      's3:PutObject',
      'sfn:DescribeExecution',
      'sfn:DescribeStateMachine',
      'sfn:StartExecution',
    ]);
    expect(run.remoteCalls.filter((call) => !REMOTE_CALLS.includes(call as never))).toEqual([]);
  });

  it.each(Object.keys(PIPELINE_FUNCTIONS) as PipelineFunction[])(
    'makes, in %s, only AWS calls its permission list grants',
    (fn) => {
      const made = log.of(FUNCTIONS[fn]);
      expect(made.filter((call) => !FUNCTION_PERMISSIONS[fn].includes(call as never))).toEqual([]);
    },
  );

  it('makes, in the stage builds, only AWS calls the stage-runner role grants', () => {
    const made = log.of(STAGE_BUILD);
    expect(made.length).toBeGreaterThan(0);
    expect(made.filter((call) => !STAGE_RUNNER_CALLS.includes(call as never))).toEqual([]);
  });

  // Which calls each makes depends on what its state store has seen already (a success it wrote
  // or read is not read again), so only who called is pinned; what each may call is above.
  it('calls AWS from every function the run uses, and from the stage builds', () => {
    expect([...log.calls.keys()].sort()).toEqual(
      ['mc-action', 'mc-node-gate', 'mc-run-finish', 'mc-run-start', STAGE_BUILD].sort(),
    );
  });
});

void currentFunction;
