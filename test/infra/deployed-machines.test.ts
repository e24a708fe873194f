import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  compileForEnvironment,
  FUNCTION_PERMISSIONS,
  pipelineMachineName,
  toCompiledDefinition,
} from '../../lib/infra/index.js';
import { STAGE_RUNNER_CALLS } from '../../lib/infra/stage-runner-calls.js';
import { type LocalBackend, openLocalBackend } from '../../lib/local/index.js';
import type { EnvName } from '../../lib/plan/index.js';
import { FUNCTIONS, type PlatformFunction, type StateMachineDefinition } from '../../statemachines/index.js';
import { CallLog, currentFunction, recordingDeps, STAGE_BUILD } from './support/recorded-calls.js';
import { runDeployed } from './support/run-deployed.js';
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
  };
});

const { templates, configs } = synthesizePlatform();
const ENVS: EnvName[] = ['dev', 'staging', 'prod'];

function deployedDefinition(env: EnvName, pipeline: string): StateMachineDefinition {
  const machine = Object.values(resourcesOf(templates[env], 'AWS::StepFunctions::StateMachine')).find(
    (m) => m.Properties?.StateMachineName === pipelineMachineName(pipeline, env),
  );
  const text = resolveDefinition(templates[env], configs[env], machine?.Properties?.DefinitionString);
  return toCompiledDefinition(JSON.parse(text), env) as StateMachineDefinition;
}

let backend: LocalBackend;
let home: string;
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'mc-infra-home-'));
  backend = await openLocalBackend(home);
});
afterAll(async () => backend?.close());

describe.each(ENVS)('the %s stack’s pipeline machines, mapped back to the local handlers', (env) => {
  it.each(configs[env].pipelines)('walk %s green through the local engine', async (file) => {
    const { plan } = compileForEnvironment(resolve(ROOT, file), env, ROOT);
    const log = new CallLog();
    const result = await runDeployed({
      backend,
      home,
      deps: recordingDeps(backend, home, log),
      file: resolve(ROOT, file),
      plan,
      definition: deployedDefinition(env, plan.pipeline),
      dryRun: true,
    });
    expect(result).toMatchObject({ status: 'SUCCEEDED', failedNodes: [] });
  });
});

describe('a real run of the prod api machine (commands, sign, attest, gate)', () => {
  const log = new CallLog();
  let status: string;
  beforeAll(async () => {
    const file = resolve(ROOT, 'examples/api/build.yaml');
    const { plan } = compileForEnvironment(file, 'prod', ROOT);
    let runId: string;
    ({ status, runId } = await runDeployed({
      backend,
      home,
      deps: recordingDeps(backend, home, log),
      file,
      plan,
      definition: deployedDefinition('prod', 'api'),
    }));
    if (status !== 'SUCCEEDED') console.error(JSON.stringify(await backend.state.getNodes(runId), null, 1));
  }, 120_000);

  it('succeeds', () => expect(status).toBe('SUCCEEDED'));

  it.each(Object.keys(FUNCTIONS) as PlatformFunction[])(
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

  it('records who called what', () => {
    expect(
      Object.fromEntries([...log.calls].map(([who, calls]) => [who, [...calls].sort()])),
    ).toMatchSnapshot();
  });
});

void currentFunction;
