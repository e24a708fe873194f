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
import { beginAttempt, failAttempt, failureCause, type RunDeps } from '../run/index.js';
import {
  copyTree,
  manifest,
  type RestoredWorkspace,
  restoreNodeWorkspace,
  saveNodeWorkspace,
} from '../workspace/index.js';
import { type CommandExit, Launchers, type LaunchOptions } from './launcher.js';
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
  private readonly unfinished = new Set<Promise<void>>();
  private unfinishedFailure: string | undefined;

  constructor(private readonly options: ProcessRunnerOptions) {
    if (!options.dryRun) this.launcher.warm();
  }

  /**
   * Resolves once what succeeded builds left to finish (storing their logs, removing their
   * directories) is done: before the run's end is recorded. Says what could not be done, if
   * anything.
   */
  async settled(): Promise<string | undefined> {
    await Promise.all(this.unfinished);
    return this.unfinishedFailure;
  }

  private finishing(work: Promise<unknown>, node: string): void {
    const done: Promise<void> = work
      .then(
        () => undefined,
        (error: unknown) => {
          this.unfinishedFailure ??= `the log of ${node} could not be stored: ${error instanceof Error ? error.message : String(error)}`;
        },
      )
      .finally(() => this.unfinished.delete(done));
    this.unfinished.add(done);
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
  async runBuild(params: BuildParameters, timeoutSeconds?: number): Promise<{ buildId: string }> {
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
    const dir = join(this.options.workRoot, 'builds', `${safe(node)}-${++this.builds}`);
    copyTree(this.options.source, dir);
    mkdirSync(join(this.options.workRoot, 'logs'), { recursive: true });
    if (phases.build.some((c) => toolWords(c)?.[0] === 'step'))
      return this.buildSteps({ phases, dir, env, runId, prefix, timeoutSeconds });
    const log = this.liveLog(node);
    // What the node changes is measured from the restored workspace; a buildspec without a
    // restore (none the compiler writes) is measured from the source copy.
    let restored: RestoredWorkspace | undefined =
      phases.build[0] === `${WORKSPACE_TOOL} restore` ? undefined : { before: manifest(dir), caches: [] };
    const ms = (timeoutSeconds ?? 0) * 1000;
    const deadline = ms > 0 ? { signal: AbortSignal.timeout(ms - Math.min(1000, ms / 4)) } : undefined;
    let begun: Begun | undefined;
    // Stops the command if its attempt, counted while it runs, turns out not to be countable.
    const refused = new AbortController();
    const signal = deadline ? AbortSignal.any([deadline.signal, refused.signal]) : refused.signal;
    let failure: string | undefined;
    let ended: Date | undefined;
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
      if (!begun) {
        begun = await this.begin(runId, node, log);
        begun.counted.catch(() => refused.abort());
      }
      if (begun.attempt === 'reuse') break;
      // The attempt is counted when its first command starts (later calls of count do nothing).
      const { code, at } = await this.exec(command, dir, env, log, { signal, onSpawn: begun.count });
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
    let attempt: number | 'reuse';
    try {
      begun ??= await this.begin(runId, node, log);
      // A command that never started (a dry run, a stopped run) has its attempt counted now.
      begun.count(deps.now());
      await begun.counted;
      attempt = begun.attempt;
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
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
      await deps.state.endAttempt(runId, node, commandEnded, error);
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
    // The attempt's log is complete once the last command writing to it has run. When only the
    // save follows (the compiled buildspec), it is stored while the workspace is saved rather than
    // after; either way the attempt ends only once its log is stored.
    const logged = phases.postBuild.every((c) => c === `${WORKSPACE_TOOL} save`) ? storeLog() : undefined;
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
            });
          continue;
        }
        await this.exec(command, dir, { ...env, CODEBUILD_BUILD_SUCCEEDING: failure ? '0' : '1' }, log);
      }
    } catch (error) {
      await logged?.catch(() => undefined);
      throw error;
    }
    if (!failure) {
      // Succeeded: its dependents are released already, and the chain member after it need not
      // wait for the log to be stored nor the build directory (a whole copy of the source) to go.
      this.finishing(Promise.all([logged ?? storeLog(), rm(dir, { recursive: true, force: true })]), node);
      return { buildId: `local:${node}:${attempt}` };
    }
    const attemptLog = await (logged ?? storeLog());
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
        const { code } = await this.exec(command, dir, build.env, this.liveLog(build.env.MC_NODE_ID), {
          signal: buildDeadline,
        });
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
        const begun = await this.begin(runId, node, log);
        begun.count(deps.now());
        await begun.counted;
        const { attempt } = begun;
        if (attempt !== 'reuse') {
          current = { node, attempt, log };
          const stepMs = Number(seconds) * 1000;
          const signals = [AbortSignal.timeout(stepMs - Math.min(1000, stepMs / 4))];
          if (buildDeadline) signals.push(buildDeadline);
          const deadline = AbortSignal.any(signals);
          const { code } = await this.exec(stepCommand, dir, { ...build.env, MC_NODE_ID: node }, log, {
            signal: deadline,
          });
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
      this.finishing(removed, build.env.MC_NODE_ID);
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
   * Counts the node's attempt and opens its log. When the store knows the number the attempt will
   * get (this process runs the run and the node is not final), the command need not wait for
   * DynamoDB: the attempt is counted at the moment the command starts (`count`, given the start
   * time; later calls do nothing), and `counted` settles once the count is stored, rejecting if it
   * was refused. Nothing is recorded under the attempt's number (log, outputs, status) before it
   * has settled.
   */
  private async begin(runId: string, node: string, log: string): Promise<Begun> {
    const { deps } = this.options;
    const expected = deps.state.nextAttempt(runId, node);
    const none = { count: () => {}, counted: Promise.resolve() };
    if (expected === undefined) {
      const started = await beginAttempt(deps, runId, node);
      if (started.kind === 'reuse') return { attempt: 'reuse', ...none };
      this.opened(node, started.attempt, log);
      return { attempt: started.attempt, ...none };
    }
    let count: (at: Date) => void = () => {};
    const counted = new Promise<void>((resolve, reject) => {
      count = (at) => {
        count = () => {};
        beginAttempt(deps, runId, node, at)
          .then((started) => {
            if (started.kind !== 'run' || started.attempt !== expected)
              throw new ActionError(
                'CANCELLED',
                failureCause(node, `attempt ${expected} could not be counted: the node's record changed`),
              );
          })
          .then(resolve, reject);
      };
    });
    this.opened(node, expected, log);
    return { attempt: expected, count: (at) => count(at), counted };
  }

  private opened(node: string, attempt: number, log: string): void {
    const { deps, observer } = this.options;
    appendFileSync(log, `--- attempt ${attempt} of ${node} (${deps.now().toISOString()})\n`);
    observer({ kind: 'started', node, attempt, at: deps.now() });
  }

  private exec(
    command: string,
    cwd: string,
    vars: Record<string, string>,
    log: string,
    options: LaunchOptions = {},
  ): Promise<CommandExit> {
    const now = () => this.options.deps.now();
    if (this.options.dryRun) {
      this.options.observer({
        kind: 'would-run',
        node: vars.MC_NODE_ID ?? '',
        command,
        at: this.options.deps.now(),
      });
      appendFileSync(log, `(dry run) ${command}\n`);
      return Promise.resolve({ code: 0, at: now() });
    }
    if (this.aborted) return Promise.resolve({ code: 130, at: now() });
    const env = { ...(this.options.baseEnv ?? process.env), ...vars, CODEBUILD_SRC_DIR: cwd, CI: 'true' };
    return this.launcher.run({ command, cwd, env, log }, options);
  }
}

/** A node's attempt as a build begins it (see ProcessRunner.begin). */
interface Begun {
  readonly attempt: number | 'reuse';
  readonly count: (at: Date) => void;
  readonly counted: Promise<void>;
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
