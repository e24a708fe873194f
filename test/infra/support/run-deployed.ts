import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type {
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  MiddlewareStack,
} from '@smithy/types';
import type { RunFinishResult, RunInput } from '../../../lib/contract/index.js';
import {
  type EnvironmentConfig,
  pipelineMachineName,
  toCompiledDefinition,
} from '../../../lib/infra/index.js';
import {
  backendClients,
  LOCAL_BUCKET,
  type LocalBackend,
  ProcessRunner,
  runLocally,
} from '../../../lib/local/index.js';
import { commandEnvironment } from '../../../lib/local/tools-path.js';
import { analyzePipeline, type Plan } from '../../../lib/plan/index.js';
import { prepareRemoteRun, type RemoteStartResult, stateMachineArn } from '../../../lib/remote/index.js';
import type { RunDeps } from '../../../lib/run/index.js';
import type { LocalTaskTokens } from '../../../lib/tokens/index.js';
import { snapshotSource } from '../../../lib/workspace/index.js';
import type { StateMachineDefinition } from '../../../statemachines/index.js';
import { FakeStepFunctions } from '../../support/fake-sfn.js';

export interface DeployedRun {
  readonly backend: LocalBackend;
  readonly home: string;
  readonly deps: RunDeps & { readonly tokens: LocalTaskTokens };
  /** The pipeline file (its directory is the workspace). */
  readonly file: string;
  readonly config: EnvironmentConfig;
  /** The machine's definition as Step Functions returns it: the synthesized one, resolved. */
  readonly deployed: string;
  readonly dryRun?: boolean;
}

export interface DeployedRunResult extends RunFinishResult {
  readonly runId: string;
  readonly plan: Plan;
  readonly started: RemoteStartResult;
  /** The Step Functions and S3 calls `mc run --remote`'s code made to start it. */
  readonly remoteCalls: string[];
}

// A commit, so that the execution name (the run id) derives from it as on GitHub.
const GITHUB = {
  GITHUB_SHA: '3f2a9c1b7d4e5f60718293a4b5c6d7e8f9012345',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_REPOSITORY: 'maestro-dev/maestro-conductor',
  GITHUB_ACTOR: 'ci',
  GITHUB_EVENT_NAME: 'push',
};
let runs = 0;

/**
 * A run of a deployed machine, started the way `mc run --remote` starts it (the same code: drift
 * check against the deployed definition, the run's opening evidence, StartExecution on a
 * stand-in for Step Functions), then executed by the local engine from the input it was started
 * with, with the deployed definition mapped back to the local handlers. Nothing else writes the
 * run's evidence beforehand: plan.json is there because the remote start wrote it.
 */
export async function runDeployed(run: DeployedRun): Promise<DeployedRunResult> {
  const { backend, home, deps, config } = run;
  const text = readFileSync(run.file, 'utf8');
  const analysis = analyzePipeline(run.file, text, { env: config.name });
  const { plan } = analysis;
  const pipeline = analysis.loaded.pipeline;
  if (!plan || !pipeline) throw new Error(`${run.file} does not plan for ${config.name}`);

  const sfn = new FakeStepFunctions();
  const machine = stateMachineArn(
    'aws',
    config.region,
    config.account,
    pipelineMachineName(plan.pipeline, config.name),
  );
  sfn.deploy(machine, run.deployed);
  const s3Calls: string[] = [];
  const s3 = recordedS3(backend, s3Calls);
  let started: RemoteStartResult;
  try {
    started = await prepareRemoteRun({
      file: run.file,
      pipeline,
      plan,
      // A new execution per test (the same commit runs for every env); the backend's bucket.
      flags: { stateMachineArn: machine, evidenceBucket: LOCAL_BUCKET, rerun: `t${++runs}` },
      env: GITHUB,
      client: () => sfn,
      s3: () => s3,
    }).start();
  } finally {
    s3.destroy();
  }
  const [request] = sfn.started();
  const input = JSON.parse(String(request.input.input)) as RunInput;

  const workRoot = join(home, 'work', input.runId);
  const source = mkdtempSync(join(tmpdir(), 'mc-deployed-source-'));
  mkdirSync(workRoot, { recursive: true });
  snapshotSource(dirname(run.file), source, [home]);
  const runner = new ProcessRunner({
    deps,
    plan,
    source,
    workRoot,
    observer: () => {},
    dryRun: run.dryRun,
    baseEnv: commandEnvironment(home, process.env),
  });
  const result = await runLocally({
    definition: toCompiledDefinition(JSON.parse(run.deployed), config.name) as StateMachineDefinition,
    input,
    deps,
    runner,
    observer: () => {},
    retryDelayMs: 0,
    dryRun: run.dryRun,
    // As on AWS: every function and build reads the state it needs.
    mirror: false,
  });
  const remoteCalls = [...new Set([...sfn.requests.map((r) => `sfn:${r.op}`), ...s3Calls])].sort();
  return { ...result, runId: input.runId, plan, started, remoteCalls };
}

// The embedded S3 (s3rver), each operation recorded as `s3:<Operation>`.
function recordedS3(backend: LocalBackend, calls: string[]): S3Client {
  const { s3 } = backendClients(backend.endpoints);
  (s3.middlewareStack as unknown as MiddlewareStack<object, object>).add(
    (next: InitializeHandler<object, object>, context: HandlerExecutionContext) =>
      async (args: InitializeHandlerArguments<object>) => {
        calls.push(`s3:${String(context.commandName).replace(/Command$/, '')}`);
        return next(args);
      },
    { step: 'initialize', name: 'recordRemoteCalls' },
  );
  return s3;
}
