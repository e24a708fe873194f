import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Command } from 'commander';
import { LocalRunError, runPipelineLocally } from '../local/index.js';
import type { EnvName } from '../plan/index.js';
import {
  DriftError,
  driftDocument,
  driftText,
  prepareRemoteRun,
  RemoteError,
  sfnClientFromEnv,
  startDocument,
  startText,
} from '../remote/index.js';
import { StateError } from '../state/index.js';
import { loadTrustPolicy } from '../trust/index.js';
import { UsageError } from './errors.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { withLocalBackend } from './local-backend.js';
import { envOption, jsonOption } from './options.js';
import { planFile } from './plan-file.js';
import { asUsage } from './policy-file.js';
import { Progress } from './progress.js';
import { runDocument, runTable } from './run-report.js';

interface RunOptions {
  readonly env: EnvName;
  readonly json?: boolean;
  readonly dryRun?: boolean;
  readonly resume?: string;
  readonly remote?: boolean;
  readonly stateMachineArn?: string;
  readonly account?: string;
  readonly region?: string;
  readonly evidenceBucket?: string;
  readonly rerun?: boolean;
  readonly rerunId?: string;
  readonly force?: boolean;
  readonly trustPolicy?: string;
}

const REMOTE_ONLY = [
  'stateMachineArn',
  'account',
  'region',
  'evidenceBucket',
  'rerun',
  'rerunId',
  'force',
] as const;

export function registerRun(program: Command, io: CliIO, exit: (code: number) => void): void {
  program
    .command('run')
    .description(
      'run a pipeline on this machine (its compiled state machine, executed by the local engine), or with --remote start the deployed machine on AWS Step Functions',
    )
    .argument('<file>', 'BuildPipeline file')
    .addOption(envOption())
    .option('--dry-run', 'plan, render and walk the machine without running commands or actions')
    .option(
      '--trust-policy <file>',
      'the trust policy the verify and gate steps apply (default MC_TRUST_POLICY, else the shipped one: prod accepts KMS or keyless signers only)',
    )
    .option(
      '--resume <runId>',
      're-run the failed, skipped and cancelled nodes of a run, reusing its successful ones',
    )
    .option(
      '--remote',
      "start the env's deployed state machine on AWS Step Functions instead (see --state-machine-arn)",
    )
    .option(
      '--state-machine-arn <arn>',
      'with --remote: the machine to start (default MC_STATE_MACHINE_ARN, else mc-<pipeline>-<env> in --account/--region)',
    )
    .option('--account <id>', 'with --remote: the AWS account of the deployed stack (default MC_AWS_ACCOUNT)')
    .option('--region <region>', 'with --remote: its region (default AWS_REGION, AWS_DEFAULT_REGION)')
    .option(
      '--evidence-bucket <name>',
      "with --remote: the stack's evidence bucket (default MC_EVIDENCE_BUCKET, else mc-evidence-<account>-<region>-<env>)",
    )
    .option(
      '--rerun',
      'with --remote: start a new execution of the same commit and attempt (named -r<id>, the id from the clock)',
    )
    .option('--rerun-id <id>', 'with --remote: the same, naming the rerun (1-16 letters, digits or _)')
    .option(
      '--force',
      'with --remote: start even when the deployed definition differs from the local compile',
    )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nState and evidence live in ./.mc (or MC_HOME). Progress goes to stderr.\nWith --remote, the execution is named <pipeline>-<commit>-a<GITHUB_RUN_ATTEMPT or 1>: starting it again\nreports the run already started instead of starting a second one (see docs/github-actions.md).\nExit codes: 0 succeeded (--remote: started, or already started with the same input), 1 failed or invalid\npipeline (--remote: drift, AWS error, name taken by another input), 2 usage error, 130 aborted (Ctrl-C).',
    )
    .action(async (file: string, options: RunOptions) => exit(await run(file, options, io)));
}

async function run(name: string, options: RunOptions, io: CliIO): Promise<number> {
  checkRemoteFlags(options);
  const planned = planFile(io, name, options);
  if (!planned) return EXIT.failed;
  if (options.remote) return await runRemote(planned, options, io);
  // A dry run leaves no trace in the project: it uses a throwaway home.
  const home = options.dryRun ? mkdtempSync(join(tmpdir(), 'mc-dry-run-')) : undefined;
  const controller = new AbortController();
  const release = io.onInterrupt?.(() => {
    io.stderr('\nstopping: Ctrl-C received; the run will be recorded as ABORTED\n');
    controller.abort();
  });
  const progress = new Progress(io);
  try {
    return await runWith(planned, options, io, progress, controller, home);
  } catch (error) {
    if (!(error instanceof LocalRunError || error instanceof StateError)) throw error;
    if (options.json) printJson(io, { error: error.message });
    else io.stderr(`mc run: ${error.message}\n`);
    return EXIT.failed;
  } finally {
    progress.stop();
    release?.();
    if (home) rmSync(home, { recursive: true, force: true });
  }
}

async function runWith(
  planned: NonNullable<ReturnType<typeof planFile>>,
  options: RunOptions,
  io: CliIO,
  progress: Progress,
  controller: AbortController,
  home: string | undefined,
): Promise<number> {
  return await withLocalBackend(
    io,
    async (backend, mcHome) => {
      const result = await runPipelineLocally({
        backend,
        home: mcHome,
        file: planned.input.path,
        text: planned.input.text,
        pipeline: planned.analysis.loaded.pipeline as NonNullable<typeof planned.analysis.loaded.pipeline>,
        plan: planned.plan,
        observer: progress.observe,
        env: runEnvironment(options, io),
        dryRun: options.dryRun,
        resume: options.resume,
        retryDelayMs: io.env.MC_RETRY_DELAY_MS ? Number(io.env.MC_RETRY_DELAY_MS) : undefined,
        signal: controller.signal,
        onStart: (runId) =>
          io.stderr(
            `${options.resume ? 'resuming' : 'starting'} run ${runId} of ${planned.plan.pipeline} (${planned.plan.env})${options.dryRun ? ', dry run' : ''}\n`,
          ),
      });
      progress.stop();
      if (options.json) printJson(io, runDocument(result.run, result.nodes));
      else io.stdout(runTable(result.run, result.nodes));
      return result.status === 'SUCCEEDED'
        ? EXIT.ok
        : result.status === 'ABORTED'
          ? EXIT.aborted
          : EXIT.failed;
    },
    home,
  );
}

function checkRemoteFlags(options: RunOptions): void {
  if (!options.remote) {
    const given = REMOTE_ONLY.filter((key) => options[key] !== undefined);
    if (given.length) throw new UsageError(`${given.map(flagName).join(', ')} only apply with --remote`);
    return;
  }
  if (options.dryRun) throw new UsageError('--dry-run runs locally; it does not combine with --remote');
  if (options.resume)
    throw new UsageError('--resume continues a local run; for a remote run use --rerun (a new execution)');
}

function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

// `mc run --remote`: the logic lives in lib/remote; this prints and maps errors to exit codes.
async function runRemote(
  planned: NonNullable<ReturnType<typeof planFile>>,
  options: RunOptions,
  io: CliIO,
): Promise<number> {
  const clients: SFNClient[] = [];
  const fail = (message: string, extra: object = {}) => {
    if (options.json) printJson(io, { error: message, ...extra });
    else io.stderr(`mc run: ${message}\n`);
    return EXIT.failed;
  };
  try {
    const prepared = prepareRemoteRun({
      file: planned.input.path,
      // The text that was planned, so the evidence is what ran even if the file changes meanwhile.
      text: planned.input.text,
      pipeline: planned.analysis.loaded.pipeline as NonNullable<typeof planned.analysis.loaded.pipeline>,
      plan: planned.plan,
      flags: { ...options, rerun: options.rerunId ?? options.rerun },
      env: io.env,
      client: (region) => {
        const client = sfnClientFromEnv(region, io.env);
        clients.push(client);
        return client;
      },
    });
    const result = await prepared.start();
    if (result.drift.forced)
      io.stderr(
        `mc run: --force: starting although the deployed state machine differs from the local compile:\n${driftText(result.drift)}`,
      );
    if (options.json) printJson(io, startDocument(result, prepared.input, prepared.target.machine.arn));
    else io.stdout(startText(result, prepared.input));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof DriftError) {
      if (!options.json) io.stderr(`mc run: ${error.message}\n${driftText(error.report)}`);
      else printJson(io, { error: error.message, drift: driftDocument(error.report, false) });
      return EXIT.failed;
    }
    if (error instanceof RemoteError) {
      if (error.code === 'NO_TARGET' || error.code === 'BAD_ARN' || error.code === 'BAD_NAME')
        throw new UsageError(error.message, { cause: error });
      return fail(error.message);
    }
    throw error;
  } finally {
    for (const client of clients) client.destroy();
  }
}

/**
 * The environment the run's handlers and commands see: the trust policy (flag or MC_TRUST_POLICY)
 * as an absolute path, loaded once here so a broken policy fails before anything runs.
 */
function runEnvironment(options: RunOptions, io: CliIO): Readonly<Record<string, string | undefined>> {
  const path = options.trustPolicy ?? io.env.MC_TRUST_POLICY;
  if (!path) return io.env;
  asUsage(() => loadTrustPolicy(path, io.cwd));
  return { ...io.env, MC_TRUST_POLICY: resolve(io.cwd, path) };
}
