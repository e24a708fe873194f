import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_NAMES, parseEvidenceUri } from '../contract/index.js';
import { McError } from '../errors/index.js';
import { EVIDENCE } from '../evidence/index.js';
import type { Plan } from '../plan/index.js';
import { beginAttempt, failureCause, type RunDeps } from '../run/index.js';
import type { CacheState } from './caches.js';
import { restoreNodeWorkspace, saveNodeWorkspace } from './node-workspace.js';
import { resetTree, runStepCommand } from './step.js';

/** What restore leaves for save, in a file of the build's temp directory. */
interface SavedRestore {
  readonly attempt: number;
  readonly before: [string, string][];
  readonly caches: readonly CacheState[];
}

/** What the steps of a fused build leave for the next step and for save: the member at hand. */
interface SavedStep {
  readonly step: true;
  /** The build's source as it started, which every step starts from. */
  readonly source: string;
  readonly node: string;
  /** 0 when the member succeeded earlier in the run (reused). */
  readonly attempt: number;
  /** Set once the member's command passed and its outputs are saved. */
  readonly done?: boolean;
  readonly failure?: string;
}

export class WorkspaceToolError extends McError<'USAGE' | 'NO_PLAN' | 'NO_RESTORE' | 'STEP_FAILED'> {}

/**
 * `mc-workspace restore|save`, as a stage build on AWS runs it (the buildspec the compiler
 * writes): the same workspace contract and attempt bookkeeping the local engine applies in-process.
 * `restore` runs in the build directory before the command; `save` runs in post_build, where
 * CODEBUILD_BUILD_SUCCEEDING tells whether the command passed.
 */
export async function workspaceTool(
  deps: RunDeps,
  command: string,
  env: Readonly<Record<string, string | undefined>>,
  dir: string,
  args: readonly string[] = [],
): Promise<string> {
  const node = env.MC_NODE_ID;
  const location = parseEvidenceUri(env.MC_EVIDENCE ?? '');
  if (!node || !location)
    throw new WorkspaceToolError(
      'USAGE',
      'mc-workspace needs MC_NODE_ID and MC_EVIDENCE (s3://bucket/runs/<pipeline>/<runId>/)',
    );
  const { runId, prefix } = location;
  const stateFile = join(
    env.TMPDIR ?? tmpdir(),
    `mc-workspace-${createHash('sha256').update(`${runId}\0${node}`).digest('hex').slice(0, 16)}.json`,
  );
  // A build starts on a fresh machine: its home and absolute paths are cached too.
  const caches = { home: env.HOME ?? homedir(), machinePaths: true };
  const plan = await deps.evidence.getJson<Plan>(`${prefix}${EVIDENCE.plan}`);
  if (!plan) throw new WorkspaceToolError('NO_PLAN', `no plan.json under ${location.uri}`);
  if (command === 'restore') {
    const restored = await restoreNodeWorkspace(deps, plan, { runId, node, dir, caches });
    const begun = await beginAttempt(deps, runId, node);
    const attempt = begun.kind === 'run' ? begun.attempt : 0;
    const saved: SavedRestore = { attempt, before: [...restored.before], caches: restored.caches };
    writeFileSync(stateFile, JSON.stringify(saved));
    return begun.kind === 'run'
      ? `restored the workspace of ${node}; attempt ${attempt}`
      : `${node} succeeded earlier in this run`;
  }
  if (command === 'step') {
    const [seconds, member, stepCommand] = args;
    if (!member || stepCommand === undefined || !(Number(seconds) > 0))
      throw new WorkspaceToolError('USAGE', 'mc-workspace step needs TIMEOUT_SECONDS NODE COMMAND');
    const previous = readState<SavedStep>(stateFile);
    const source = previous?.source ?? `${stateFile}.source`;
    if (!previous) cpSync(dir, source, { recursive: true, preserveTimestamps: true });
    const write = (state: Omit<SavedStep, 'step' | 'source'>) =>
      writeFileSync(stateFile, JSON.stringify({ step: true, source, ...state }));
    const [record] = (await deps.state.getSettledNodes(runId, [member])).values();
    if (record?.status === 'SUCCEEDED') {
      write({ node: member, attempt: 0, done: true });
      return `${member} succeeded earlier in this run`;
    }
    // Each step is a build of its own: the source, then what the member's dependencies produced.
    if (previous) resetTree(source, dir);
    const restored = await restoreNodeWorkspace(deps, plan, { runId, node: member, dir, caches });
    const begun = await beginAttempt(deps, runId, member);
    if (begun.kind === 'reuse') {
      write({ node: member, attempt: 0, done: true });
      return `${member} succeeded earlier in this run`;
    }
    write({ node: member, attempt: begun.attempt });
    console.log(`--- attempt ${begun.attempt} of ${member}`);
    const failure = await runStepCommand(stepCommand, {
      cwd: dir,
      env: { ...env, MC_NODE_ID: member },
      timeoutSeconds: Number(seconds),
    });
    const endedAt = deps.now().toISOString();
    if (failure) {
      write({ node: member, attempt: begun.attempt, failure });
      throw new WorkspaceToolError('STEP_FAILED', `${member}: ${failure}`);
    }
    await saveNodeWorkspace(deps, plan, {
      runId,
      prefix,
      node: member,
      attempt: begun.attempt,
      dir,
      restored,
      caches,
      endedAt,
    });
    write({ node: member, attempt: begun.attempt, done: true });
    return `saved the outputs of ${member}`;
  }
  if (command === 'save') {
    const step = readState<SavedStep | SavedRestore>(stateFile);
    if (step && 'step' in step) {
      // A fused build: its steps saved the members that passed; the one at hand failed, or the
      // build stopped during it.
      rmSync(stateFile, { force: true });
      rmSync(step.source, { recursive: true, force: true });
      if (step.done || step.attempt === 0) return `${step.node} succeeded`;
      await deps.state.endAttempt(runId, step.node, deps.now().toISOString(), {
        Error: ERROR_NAMES.stepFailed,
        Cause: failureCause(step.node, step.failure ?? 'the build command failed'),
      });
      return `attempt ${step.attempt} of ${step.node} failed`;
    }
    let saved: SavedRestore;
    try {
      saved = JSON.parse(readFileSync(stateFile, 'utf8'));
    } catch (error) {
      throw new WorkspaceToolError(
        'NO_RESTORE',
        `mc-workspace save found no restore of ${node} in this build`,
        { cause: error },
      );
    }
    rmSync(stateFile, { force: true });
    const endedAt = deps.now().toISOString();
    if (saved.attempt === 0) return `${node} succeeded earlier in this run`;
    if (env.CODEBUILD_BUILD_SUCCEEDING !== '1') {
      await deps.state.endAttempt(runId, node, endedAt, {
        Error: ERROR_NAMES.stepFailed,
        Cause: failureCause(node, 'the build command failed'),
      });
      return `attempt ${saved.attempt} of ${node} failed`;
    }
    await saveNodeWorkspace(deps, plan, {
      runId,
      prefix,
      node,
      attempt: saved.attempt,
      dir,
      restored: { before: new Map(saved.before), caches: saved.caches },
      caches,
      endedAt,
    });
    return `saved the outputs of ${node}`;
  }
  throw new WorkspaceToolError(
    'USAGE',
    `unknown mc-workspace command "${command}"; expected restore, step or save`,
  );
}

function readState<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
