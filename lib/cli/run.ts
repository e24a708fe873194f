import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { LocalRunError, runPipelineLocally } from '../local/index.js';
import type { EnvName } from '../plan/index.js';
import { StateError } from '../state/index.js';
import { type CliIO, EXIT, printJson } from './io.js';
import { withLocalBackend } from './local-backend.js';
import { envOption, jsonOption } from './options.js';
import { planFile } from './plan-file.js';
import { Progress } from './progress.js';
import { runDocument, runTable } from './run-report.js';

interface RunOptions {
  readonly env: EnvName;
  readonly json?: boolean;
  readonly dryRun?: boolean;
  readonly resume?: string;
}

export function registerRun(program: Command, io: CliIO, exit: (code: number) => void): void {
  program
    .command('run')
    .description('run a pipeline on this machine: its compiled state machine, executed by the local engine')
    .argument('<file>', 'BuildPipeline file')
    .addOption(envOption())
    .option('--dry-run', 'plan, render and walk the machine without running commands or actions')
    .option(
      '--resume <runId>',
      're-run the failed, skipped and cancelled nodes of a run, reusing its successful ones',
    )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nState and evidence live in ./.mc (or MC_HOME). Progress goes to stderr.\nExit codes: 0 succeeded, 1 failed or invalid pipeline, 2 usage error, 130 aborted (Ctrl-C).',
    )
    .action(async (file: string, options: RunOptions) => exit(await run(file, options, io)));
}

async function run(name: string, options: RunOptions, io: CliIO): Promise<number> {
  const planned = planFile(io, name, options);
  if (!planned) return EXIT.failed;
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
        env: io.env,
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
