import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { toolWords, WORKSPACE_TOOL } from '../../statemachines/pipeline/buildspec.js';
import { ActionError, ERROR_NAMES, parseEvidenceUri } from '../contract/index.js';
import { EVIDENCE } from '../evidence/index.js';
import type { Plan } from '../plan/index.js';
import { type AttemptStart, beginAttempt, failAttempt, failureCause, type RunDeps } from '../run/index.js';
import {
  copyTree,
  manifest,
  type RestoredWorkspace,
  restoreNodeWorkspace,
  saveNodeWorkspace,
} from '../workspace/index.js';
import { type CommandExit, Launchers } from './launcher.js';
import type { RunEvent, RunObserver } from './observer.js';

// Locally, `~/…` and absolute cache paths are the machine's own, kept between builds anyway.
const LOCAL_CACHES = { home: homedir(), machinePaths: false };

/** The Parameters of a `codebuild:startBuild.sync` task, as the interpreter resolves them. */
export interface BuildParameters {
  readonly BuildspecOverride: string;
  readonly EnvironmentVariablesOverride: readonly { readonly Name: string; readonly Value: string }[];
}

export interface ProcessRunnerOptions {
  readonly deps: RunDeps;
  readonly plan: Plan;
  /** The run's source snapshot; every build starts from a copy of it. */
  readonly source: string;
  /** Where builds run and live logs go (`.mc/work/<runId>`). */
  readonly workRoot: string;
  readonly observer: RunObserver;
  /** Walk the machine without running commands. */
  readonly dryRun?: boolean;
  /** The environment commands inherit (PATH and the like). */
  readonly baseEnv?: NodeJS.ProcessEnv;
}

/**
 * CodeBuild, locally: runs a node's buildspec as child processes, with the same phases, the same
 * environment variables and the same workspace contract (start from the source, restore what the
 * dependencies produced, save what the node changed) as the stage-runner project on AWS.
 */
export class ProcessRunner {
  private readonly launcher = new Launchers();
  private aborted = false;
  private builds = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly unstoredLogs: string[] = [];
  private logQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ProcessRunnerOptions) {
    if (!options.dryRun) this.launcher.warm();
  }

  /**
   * Resolves once every build is over, including what succeeded builds left to finish (storing
   * their logs, removing their directories): before the run's end is recorded. Says which logs
   * could not be stored, if any.
   */
  async settled(): Promise<string | undefined> {
    while (this.inFlight.size) await Promise.all(this.inFlight);
    return this.unstoredLogs.length ? this.unstoredLogs.join('; ') : undefined;
  }

  // Work whose end the run's end waits for; its errors are reported where they happen.
  private track(work: Promise<unknown>): void {
    const forget = () => {
      this.inFlight.delete(done);
    };
    const done: Promise<void> = work.then(forget, forget);
    this.inFlight.add(done);
  }

  /**
   * Stores a succeeded build's log behind the run's statuses: one log after another, each once the
   * statuses decided before it are stored. A log upload (two S3 requests) sent the moment a node
   * ends would compete with what starts its dependents, in this process and on the servers.
   */
  private storeAfterStatuses(runId: string, store: () => Promise<unknown>): Promise<unknown> {
    const stored = this.logQueue.then(() => this.options.deps.state.stored(runId)).then(store);
    this.logQueue = stored.catch(() => undefined);
    return stored;
  }

  // A succeeded build's leftovers: its log upload (a failure fails the run) and its directory.
  private finishing(log: Promise<unknown>, dir: string, node: string): void {
    this.track(
      log.catch((error: unknown) => {
        this.unstoredLogs.push(
          `the log of ${node} could not be stored: ${error instanceof Error ? error.message : String(error)}`,
        );
      }),
    );
    this.track(rm(dir, { recursive: true, force: true }));
  }

  /** Where the run's builds, live logs and attempt journal are (`.mc/work/<runId>`). */
  get workRoot(): string {
    return this.options.workRoot;
  }

  /** Stops every running command (Ctrl-C, fail-fast) and refuses new ones. */
  abortAll(): void {
    this.aborted = true;
    this.launcher.killAll();
  }

  /** Releases the command launcher; call when the run is over. */
  close(): void {
    this.launcher.close();
  }

  liveLog(node: string): string {
    return liveLogPath(this.options.workRoot, node);
  }

  /**
   * `timeoutSeconds` is the task's: the command is stopped shortly before it, as CodeBuild stops a
   * build at its timeout, so the failure names the node rather than surfacing as a bare
   * States.Timeout.
   */
  runBuild(params: BuildParameters, timeoutSeconds?: number): Promise<{ buildId: string }> {
    const build = this.guardedBuild(params, timeoutSeconds);
    this.track(build);
    return build;
  }

  private async guardedBuild(params: BuildParameters, timeoutSeconds?: number): Promise<{ buildId: string }> {
    try {
      return await this.build(params, timeoutSeconds);
    } catch (error) {
      if (error instanceof ActionError) throw error;
      // Anything unexpected (a workspace that cannot be saved, a store that fails) fails the
      // node, naming it, instead of escaping as an error no one can place.
      const node =
        params.EnvironmentVariablesOverride.find((v) => v.Name === 'MC_NODE_ID')?.Value ?? 'unknown';
      const message = `the local runner failed: ${error instanceof Error ? error.message : String(error)}`;
      throw new ActionError('STEP_FAILED', failureCause(node, message), { cause: error });
    }
  }

  private async build(params: BuildParameters, timeoutSeconds?: number): Promise<{ buildId: string }> {
    const { deps, observer } = this.options;
    const env = Object.fromEntries(params.EnvironmentVariablesOverride.map((v) => [v.Name, v.Value]));
    const node = env.MC_NODE_ID;
    const location = parseEvidenceUri(env.MC_EVIDENCE ?? '');
    if (!node || !location)
      throw new ActionError('INVALID_INPUT', 'a stage build needs MC_NODE_ID and an MC_EVIDENCE URI');
    const { runId, prefix } = location;
    if (this.aborted) throw new ActionError('CANCELLED', failureCause(node, 'the run is stopping'));
    const phases = parseBuildspec(params.BuildspecOverride);
    const fused = phases.build.some((c) => toolWords(c)?.[0] === 'step');
    // The attempt is counted (journaled, and stored by DynamoDB behind) as the build begins: nothing
    // of it runs unrecorded.
    const counting = fused ? undefined : beginAttempt(deps, runId, node);
    counting?.catch(() => undefined);
    const dir = join(this.options.workRoot, 'builds', `${safe(node)}-${++this.builds}`);
    copyTree(this.options.source, dir);
    mkdirSync(join(this.options.workRoot, 'logs'), { recursive: true });
    if (!counting) return this.buildSteps({ phases, dir, env, runId, prefix, timeoutSeconds });
    const log = this.liveLog(node);
    // What the node changes is measured from the restored workspace; a buildspec without a
    // restore (none the compiler writes) is measured from the source copy.
    let restored: RestoredWorkspace | undefined =
      phases.build[0] === `${WORKSPACE_TOOL} restore` ? undefined : { before: manifest(dir), caches: [] };
    const ms = (timeoutSeconds ?? 0) * 1000;
    const deadline = ms > 0 ? { signal: AbortSignal.timeout(ms - Math.min(1000, ms / 4)) } : undefined;
    let attempt: number | 'reuse' | undefined;
    let failure: string | undefined;
    let ended: Date | undefined;
    let commandStarted: string | undefined;
    for (const command of phases.build) {
      if (command === `${WORKSPACE_TOOL} restore`) {
        restored = await restoreNodeWorkspace(deps, this.options.plan, {
          runId,
          node,
          dir,
          caches: LOCAL_CACHES,
        });
        continue;
      }
      attempt ??= await this.opened(node, log, counting, dir);
      if (attempt === 'reuse') break;
      commandStarted ??= deps.now().toISOString();
      const { code, at } = await this.exec(command, dir, env, log, deadline?.signal);
      ended = at;
      if (code !== 0) {
        failure = deadline?.signal.aborted
          ? `timed out after ${timeoutSeconds}s: ${command}`
          : this.aborted
            ? 'stopped'
            : `command exited with ${code}: ${command}`;
        break;
      }
    }
    const commandEnded = (ended ?? deps.now()).toISOString();
    attempt ??= await this.opened(node, log, counting, dir);
    // The node's start is its first attempt's command's: it replaces the time of the count.
    const firstStart = attempt === 1 ? commandStarted : undefined;
    if (attempt === 'reuse') {
      // A resume: the node succeeded in an earlier attempt of this run.
      rmSync(dir, { recursive: true, force: true });
      observer(reused(node, deps.now()));
      return { buildId: `local:${node}:reused` };
    }
    if (failure) {
      const error = {
        Error: this.aborted ? ERROR_NAMES.cancelled : ERROR_NAMES.stepFailed,
        Cause: failureCause(node, failure),
      };
      await deps.state.endAttempt(runId, node, commandEnded, error, firstStart);
    } else {
      // Reported before the save: saving releases the dependents, whose starts come after.
      observer({ kind: 'ended', node, attempt, status: 'SUCCEEDED', at: deps.now() });
    }
    const number = attempt;
    const logKey = `${prefix}${EVIDENCE.nodeLog(node, number)}`;
    const storeLog = async () => {
      const text = logOf(log, number);
      await deps.evidence.putOnce(logKey, text, 'text/plain');
      return text;
    };
    // The attempt's log is complete once the last command writing to it has run; the attempt ends
    // only once its log is stored.
    try {
      for (const command of phases.postBuild) {
        if (command === `${WORKSPACE_TOOL} save`) {
          if (!failure && restored)
            await saveNodeWorkspace(deps, this.options.plan, {
              runId,
              prefix,
              node,
              attempt: number,
              dir,
              restored,
              caches: LOCAL_CACHES,
              endedAt: commandEnded,
              ...(firstStart ? { startedAt: firstStart } : {}),
            });
          continue;
        }
        await this.exec(command, dir, { ...env, CODEBUILD_BUILD_SUCCEEDING: failure ? '0' : '1' }, log);
      }
    } catch (error) {
      await storeLog().catch(() => undefined);
      throw error;
    }
    if (!failure) {
      // Succeeded: its dependents are released already, and the chain member after it need not
      // wait for the log to be stored nor the build directory (a whole copy of the source) to go.
      this.finishing(this.storeAfterStatuses(runId, storeLog), dir, node);
      return { buildId: `local:${node}:${attempt}` };
    }
    const attemptLog = await storeLog();
    const cancelled = this.aborted;
    const logTail = attemptLog.trimEnd().split('\n').slice(1).slice(-10);
    observer({
      kind: 'ended',
      node,
      attempt: number,
      status: cancelled ? 'CANCELLED' : 'FAILED',
      at: deps.now(),
      detail: failure,
      logTail,
    });
    return failAttempt(
      deps,
      runId,
      node,
      new ActionError(cancelled ? 'CANCELLED' : 'STEP_FAILED', failureCause(node, failure)),
      commandEnded,
    );
  }

  /**
   * A build whose commands are `mc-workspace step`s (a fused build): each step is run as the tool
   * runs it on AWS, a build of its own inside the build (a fresh copy of the source, the member's
   * workspace restored, its attempt counted or its earlier success reused, its command under its
   * own MC_NODE_ID and timeout, its outputs saved). A failing step ends the build phase; the
   * post_build save records that member's failed attempt.
   */
  private async buildSteps(build: {
    phases: { build: string[]; postBuild: string[] };
    dir: string;
    env: Record<string, string>;
    runId: string;
    prefix: string;
    timeoutSeconds?: number;
  }): Promise<{ buildId: string }> {
    const { deps, observer, plan } = this.options;
    const { phases, dir, runId, prefix } = build;
    const ms = (build.timeoutSeconds ?? 0) * 1000;
    const buildDeadline = ms > 0 ? AbortSignal.timeout(ms - Math.min(1000, ms / 4)) : undefined;
    let current: { node: string; attempt: number; log: string; failure?: string } | undefined;
    let started = false;
    const storeLog = async (member: { node: string; attempt: number; log: string }) => {
      const text = logOf(member.log, member.attempt);
      await deps.evidence.putOnce(
        `${prefix}${EVIDENCE.nodeLog(member.node, member.attempt)}`,
        text,
        'text/plain',
      );
      return text;
    };
    for (const command of phases.build) {
      const words = toolWords(command);
      if (words?.[0] !== 'step') {
        // Not written by the compiler in a fused build; run as any build command would be.
        const { code } = await this.exec(
          command,
          dir,
          build.env,
          this.liveLog(build.env.MC_NODE_ID),
          buildDeadline,
        );
        if (code !== 0) break;
        continue;
      }
      const [, seconds, node, stepCommand] = words;
      const [record] = (await deps.state.getSettledNodes(runId, [node])).values();
      if (record?.status !== 'SUCCEEDED') {
        if (started) {
          rmSync(dir, { recursive: true, force: true });
          copyTree(this.options.source, dir);
        }
        started = true;
        const restored = await restoreNodeWorkspace(deps, plan, { runId, node, dir, caches: LOCAL_CACHES });
        const log = this.liveLog(node);
        const attempt = await this.opened(node, log, beginAttempt(deps, runId, node), dir);
        if (attempt !== 'reuse') {
          current = { node, attempt, log };
          const stepMs = Number(seconds) * 1000;
          const signals = [AbortSignal.timeout(stepMs - Math.min(1000, stepMs / 4))];
          if (buildDeadline) signals.push(buildDeadline);
          const deadline = AbortSignal.any(signals);
          const { code } = await this.exec(
            stepCommand,
            dir,
            { ...build.env, MC_NODE_ID: node },
            log,
            deadline,
          );
          if (code !== 0) {
            current.failure = deadline.aborted
              ? `timed out after ${signals[0].aborted ? seconds : build.timeoutSeconds}s: ${stepCommand}`
              : this.aborted
                ? 'stopped'
                : `command exited with ${code}: ${stepCommand}`;
            break;
          }
          const endedAt = deps.now().toISOString();
          observer({ kind: 'ended', node, attempt, status: 'SUCCEEDED', at: deps.now() });
          const logged = storeLog(current);
          try {
            await saveNodeWorkspace(deps, plan, {
              runId,
              prefix,
              node,
              attempt,
              dir,
              restored,
              caches: LOCAL_CACHES,
              endedAt,
            });
          } finally {
            await logged;
          }
          current = undefined;
          continue;
        }
      }
      // A resume or a retry: the member succeeded in an earlier attempt of this run.
      observer(reused(node, deps.now()));
    }
    const failed = current;
    for (const command of phases.postBuild) {
      if (toolWords(command)?.[0] === 'save') {
        if (failed) {
          const error = {
            Error: this.aborted ? ERROR_NAMES.cancelled : ERROR_NAMES.stepFailed,
            Cause: failureCause(failed.node, failed.failure ?? 'the build command failed'),
          };
          await deps.state.endAttempt(runId, failed.node, deps.now().toISOString(), error);
        }
        continue;
      }
      const succeeding = failed ? '0' : '1';
      await this.exec(
        command,
        dir,
        { ...build.env, CODEBUILD_BUILD_SUCCEEDING: succeeding },
        this.liveLog(build.env.MC_NODE_ID),
      );
    }
    const removed = rm(dir, { recursive: true, force: true });
    if (!failed) {
      // The members' logs are stored; the chain after the build need not wait for the directory.
      this.track(removed);
      return { buildId: `local:${build.env.MC_NODE_ID}:steps` };
    }
    let attemptLog: string;
    try {
      attemptLog = await storeLog(failed);
    } finally {
      await removed;
    }
    const cancelled = this.aborted;
    const failure = failed.failure ?? 'the build command failed';
    observer({
      kind: 'ended',
      node: failed.node,
      attempt: failed.attempt,
      status: cancelled ? 'CANCELLED' : 'FAILED',
      at: deps.now(),
      detail: failure,
      logTail: attemptLog.trimEnd().split('\n').slice(1).slice(-10),
    });
    return failAttempt(
      deps,
      runId,
      failed.node,
      new ActionError(cancelled ? 'CANCELLED' : 'STEP_FAILED', failureCause(failed.node, failure)),
    );
  }

  /**
   * The attempt, once it is counted: its log is opened and its start reported. A node that
   * succeeded in an earlier attempt is reused; one that cannot start fails the build (its
   * directory removed).
   */
  private async opened(
    node: string,
    log: string,
    counting: Promise<AttemptStart>,
    dir: string,
  ): Promise<number | 'reuse'> {
    const { deps, observer } = this.options;
    let begun: AttemptStart;
    try {
      begun = await counting;
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    if (begun.kind === 'reuse') return 'reuse';
    appendFileSync(log, `--- attempt ${begun.attempt} of ${node} (${deps.now().toISOString()})\n`);
    observer({ kind: 'started', node, attempt: begun.attempt, at: deps.now() });
    return begun.attempt;
  }

  private exec(
    command: string,
    cwd: string,
    vars: Record<string, string>,
    log: string,
    signal?: AbortSignal,
  ): Promise<CommandExit> {
    const now = () => this.options.deps.now();
    if (this.options.dryRun) {
      this.options.observer({ kind: 'would-run', node: vars.MC_NODE_ID ?? '', command, at: now() });
      appendFileSync(log, `(dry run) ${command}\n`);
      return Promise.resolve({ code: 0, at: now() });
    }
    if (this.aborted) return Promise.resolve({ code: 130, at: now() });
    const env = { ...(this.options.baseEnv ?? process.env), ...vars, CODEBUILD_SRC_DIR: cwd, CI: 'true' };
    return this.launcher.run({ command, cwd, env, log }, signal);
  }
}

function parseBuildspec(text: string): { build: string[]; postBuild: string[] } {
  const spec = parse(text) as { phases?: Record<string, { commands?: string[] }> };
  return {
    build: [...(spec.phases?.pre_build?.commands ?? []), ...(spec.phases?.build?.commands ?? [])],
    postBuild: spec.phases?.post_build?.commands ?? [],
  };
}

// The part of the live log that belongs to one attempt.
function logOf(file: string, attempt: number): string {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return '';
  }
  const start = text.lastIndexOf(`--- attempt ${attempt} of `);
  return start >= 0 ? text.slice(start) : text;
}

/** A node id as a file name: readable, and unique by a short hash of the id. */
export function safe(node: string): string {
  return `${node.replace(/[^A-Za-z0-9._-]+/g, '_')}-${createHash('sha256').update(node).digest('hex').slice(0, 8)}`;
}

/** Where a node's live log is written while a local run goes on. */
export function liveLogPath(workRoot: string, node: string): string {
  return join(workRoot, 'logs', `${safe(node)}.log`);
}

// What progress shows for a node whose success is taken over from an earlier attempt.
function reused(node: string, at: Date): RunEvent {
  return { kind: 'settled', node, status: 'SUCCEEDED', at, detail: 'reused from an earlier attempt' };
}
