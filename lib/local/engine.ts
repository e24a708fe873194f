import { ExecutionAbortedError, StateMachine } from 'aws-local-stepfunctions';

type InterpreterDefinition = ConstructorParameters<typeof StateMachine>[0];
type InterpreterInput = Parameters<StateMachine['run']>[0];

import { platformHandlers } from '../../lambdas/index.js';
import type { State, StateMachineDefinition } from '../../statemachines/asl/types.js';
import { FUNCTIONS, RESOURCES } from '../../statemachines/pipeline/resources.js';
import type { Json, RunFinishResult, RunInput } from '../contract/index.js';
import { McError } from '../errors/index.js';
import { beginAttempt, finishRun, type RunDeps, succeedAttempt } from '../run/index.js';
import { type LocalTaskTokens, LocalTokenCancelled } from '../tokens/index.js';
import { AttemptJournalFile } from './attempt-journal.js';
import type { RunObserver } from './observer.js';
import type { BuildParameters, ProcessRunner } from './process-runner.js';

export interface LocalRunOptions {
  /** The compiled machine, unchanged: the interpreter does all the scheduling. */
  readonly definition: StateMachineDefinition;
  readonly input: RunInput;
  readonly deps: RunDeps & { readonly tokens: LocalTaskTokens };
  readonly runner: ProcessRunner;
  readonly observer: RunObserver;
  /** Pause before a stage retry, in ms (default: the definition's IntervalSeconds and backoff). */
  readonly retryDelayMs?: number;
  /** Aborting it stops the run (Ctrl-C): commands are stopped and the run is recorded ABORTED. */
  readonly signal?: AbortSignal;
  /** Walk the machine without doing the nodes' work: commands and actions succeed at once. */
  readonly dryRun?: boolean;
  /**
   * Whether this process's state store answers the run's reads from what it wrote (RunMirror;
   * default true). A run standing in for a deployed one, where every function and build has a
   * store of its own, says false.
   */
  readonly mirror?: boolean;
}

type Override = (input: Json) => Promise<Json>;

export class LocalEngineError extends McError<'UNSUPPORTED'> {}

/**
 * Runs a compiled pipeline machine with `aws-local-stepfunctions`. The definition is handed over
 * as it is; this module only maps each Task state to its local implementation: Lambda tasks to
 * the very handlers in lambdas/ (in-process), the gate's task token to an in-process promise,
 * CodeBuild tasks to the process runner.
 */
export async function runLocally(options: LocalRunOptions): Promise<RunFinishResult> {
  const { deps, input, runner } = options;
  if (options.mirror === false) return execute(options);
  // This process alone runs the execution: it reads back nothing it wrote (RunMirror), and the
  // attempts it begins are journaled before DynamoDB stores them.
  const journal = new AttemptJournalFile(runner.workRoot);
  try {
    await deps.state.own(input.runId, journal);
    return await execute(options);
  } finally {
    await deps.state.disown(input.runId);
    journal.close();
  }
}

async function execute(options: LocalRunOptions): Promise<RunFinishResult> {
  const { definition, input, deps, runner } = options;
  const handlers = platformHandlers(() => deps);
  const overrides: Record<string, Override> = {};
  const retries: Record<string, number> = {};
  forEachTask(definition, (name, state) => {
    if (state.Retry?.some((r) => r.IntervalSeconds !== undefined) && options.retryDelayMs !== undefined)
      retries[name] = options.retryDelayMs;
    const run = taskOverride(state, {
      handlers,
      tokens: deps.tokens,
      runner,
      observer: options.observer,
      deps,
      dryRun: options.dryRun,
    });
    overrides[name] = guard(state, run, runner, () => ended);
  });
  let ended = false;
  // Our ASL types are readonly views of the same JSON the interpreter's types describe.
  const machine = new StateMachine(definition as unknown as InterpreterDefinition, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  const execution = machine.run(input as unknown as InterpreterInput, {
    overrides: { taskResourceLocalHandlers: overrides, retryIntervalOverrides: retries },
    context: { Task: { Token: 'local' } },
  });
  const abort = () => {
    runner.abortAll();
    execution.abort();
  };
  options.signal?.addEventListener('abort', abort, { once: true });
  // Aborted before the execution began (Ctrl-C during start-up): the listener will not fire.
  if (options.signal?.aborted) abort();
  let failure: { Error: string; Cause: string } | undefined;
  try {
    await execution.result;
  } catch (error) {
    if (error instanceof ExecutionAbortedError || options.signal?.aborted) {
      runner.abortAll();
      await runner.settled();
      return finishRun(deps, { runId: input.runId, aborted: true });
    }
    // Normally the run's Fail state, after `Finish run` or `Record failure` recorded the end.
    failure = { Error: (error as Error).name ?? 'Error', Cause: (error as Error).message ?? String(error) };
  } finally {
    options.signal?.removeEventListener('abort', abort);
    ended = true;
    deps.tokens.cancelAll('the run ended');
    runner.abortAll();
    runner.close();
  }
  await runner.settled();
  const run = await deps.state.requireRun(input.runId);
  // An execution that ended without reaching `Finish run` (it should not) still gets an end.
  if (run.status === 'RUNNING')
    return finishRun(deps, {
      runId: input.runId,
      failure: failure ?? { Error: 'MC.RunFailed', Cause: 'the execution ended without recording its end' },
    });
  const nodes = await deps.state.getNodes(input.runId);
  return { status: run.status, failedNodes: nodes.filter((n) => n.status === 'FAILED').map((n) => n.node) };
}

/**
 * Two things the interpreter cannot do for us. Once the run is over, the tasks of aborted branches
 * (a retry woken by the abort) must not act. And under fail-fast, the moment a node's failure is
 * final (its retries are used up or do not apply) the other nodes' commands are stopped, as Step
 * Functions stops the other branches, rather than when the failure reaches `Record failure`.
 */
function guard(
  state: Extract<State, { Type: 'Task' }>,
  run: Override,
  runner: ProcessRunner,
  ended: () => boolean,
): Override {
  const failFast = !state.Catch && state.Resource !== RESOURCES.lambdaInvokeWaitForToken && isNodeWork(state);
  let calls = 0;
  return async (input) => {
    if (ended()) throw new LocalTokenCancelled('the run ended');
    calls++;
    try {
      return await run(input);
    } catch (error) {
      if (failFast && !willRetry(state, error as Error, calls)) runner.abortAll();
      throw error;
    }
  };
}

function isNodeWork(state: Extract<State, { Type: 'Task' }>): boolean {
  return state.Resource === RESOURCES.codeBuildSync || state.Parameters?.FunctionName === FUNCTIONS.action;
}

// The first retrier matching the error decides, as in the States Language.
function willRetry(state: Extract<State, { Type: 'Task' }>, error: Error, calls: number): boolean {
  const retrier = state.Retry?.find((r) =>
    r.ErrorEquals.some((e) => e === error.name || e === 'States.ALL' || e === 'States.TaskFailed'),
  );
  return retrier !== undefined && calls <= (retrier.MaxAttempts ?? 3);
}

interface OverrideContext {
  readonly handlers: Record<string, (event: unknown) => Promise<unknown>>;
  readonly tokens: LocalTaskTokens;
  readonly runner: ProcessRunner;
  readonly observer: RunObserver;
  readonly deps: RunDeps;
  readonly dryRun?: boolean;
}

function taskOverride(state: Extract<State, { Type: 'Task' }>, context: OverrideContext): Override {
  const { tokens, runner } = context;
  switch (state.Resource) {
    case RESOURCES.codeBuildSync:
      return async (input) =>
        (await runner.runBuild(input as unknown as BuildParameters, state.TimeoutSeconds)) as unknown as Json;
    case RESOURCES.lambdaInvokeWaitForToken: {
      const handler = handlerFor(context.handlers, state);
      return async (input) => {
        const payload = (input as Record<string, Json>).Payload as Record<string, Json>;
        const { token, done } = tokens.issue(String(payload.node));
        await handler({ ...payload, taskToken: token });
        const decision = (await done) as { run?: boolean; reason?: string; failed?: unknown };
        if (decision.failed) {
          context.observer({
            kind: 'settled',
            node: String(payload.node),
            status: 'FAILED',
            at: context.deps.now(),
            detail: decision.reason,
          });
        } else if (!decision.run) {
          reportSkipped(context, payload, decision.reason);
        }
        return decision as Json;
      };
    }
    case RESOURCES.lambdaInvoke: {
      const name = String(state.Parameters?.FunctionName ?? '');
      const handler = handlerFor(context.handlers, state);
      // The optimized Lambda integration returns the function's result under Payload.
      return async (input) => {
        let payload = (input as Record<string, Json>).Payload as Record<string, Json>;
        if (name === FUNCTIONS.runFinish) payload = await settle(context.deps, runner, payload);
        if (name === FUNCTIONS.action)
          return { Payload: await runAction(context, handler, payload), StatusCode: 200 };
        const result = (await handler(payload)) as Json;
        if (name === FUNCTIONS.nodeSignal && payload.status === 'SKIPPED') {
          reportSkipped(context, payload, payload.reason ? String(payload.reason) : undefined);
        }
        return { Payload: result, StatusCode: 200 };
      };
    }
    default:
      throw new LocalEngineError(
        'UNSUPPORTED',
        `the local engine has no implementation of ${state.Resource}`,
      );
  }
}

// The run's end is recorded once the builds are over (stopped if still running, the logs of the
// succeeded ones stored) and the statuses decided in this process are stored. What could not be
// stored fails the run, named in its failure (unless the run failed already).
async function settle(
  deps: RunDeps,
  runner: ProcessRunner,
  payload: Record<string, Json>,
): Promise<Record<string, Json>> {
  runner.abortAll();
  const unstored = [await runner.settled(), await deps.state.stored(String(payload.runId))].filter(Boolean);
  // A run that failed already keeps its failure (its Cause names the failed node).
  if (!unstored.length || payload.failure) return payload;
  return { ...payload, failure: { Error: 'MC.RunFailed', Cause: unstored.join('; ') } };
}

// A skipped node and the chain members skipped with it, for progress output.
function reportSkipped(
  context: OverrideContext,
  payload: Record<string, Json>,
  reason: string | undefined,
): void {
  for (const node of [String(payload.node), ...((payload.followers as string[] | undefined) ?? [])]) {
    context.observer({
      kind: 'settled',
      node,
      status: 'SKIPPED',
      at: context.deps.now(),
      detail: node === payload.node ? reason : undefined,
    });
  }
}

// The action function, with progress events; in a dry run the action is recorded, not performed.
async function runAction(
  context: OverrideContext,
  handler: (event: unknown) => Promise<unknown>,
  payload: Record<string, Json>,
): Promise<Json> {
  const { observer, deps } = context;
  const node = String(payload.node);
  if (context.dryRun) {
    observer({ kind: 'would-run', node, command: `action ${String(payload.action)}`, at: deps.now() });
    const begun = await beginAttempt(deps, String(payload.runId), node);
    if (begun.kind === 'run') await succeedAttempt(deps, String(payload.runId), node);
    return { evidence: [], summary: 'dry run' };
  }
  const started = deps.now();
  observer({ kind: 'started', node, attempt: 0, at: started });
  try {
    const result = (await handler(payload)) as Json;
    observer({ kind: 'ended', node, attempt: 0, status: 'SUCCEEDED', at: deps.now() });
    return result;
  } catch (error) {
    const detail = failureMessage(error);
    observer({ kind: 'ended', node, attempt: 0, status: 'FAILED', at: deps.now(), detail });
    throw error;
  }
}

function failureMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  try {
    return String((JSON.parse(message) as { message?: string }).message ?? message);
  } catch {
    return message;
  }
}

function handlerFor(
  handlers: Record<string, (event: unknown) => Promise<unknown>>,
  state: Extract<State, { Type: 'Task' }>,
) {
  const name = String(state.Parameters?.FunctionName ?? '');
  const handler = handlers[name];
  if (!handler) throw new LocalEngineError('UNSUPPORTED', `no local handler for function ${name}`);
  return handler;
}

function forEachTask(
  definition: StateMachineDefinition,
  visit: (name: string, state: Extract<State, { Type: 'Task' }>) => void,
): void {
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type === 'Task') visit(name, state);
    if (state.Type === 'Parallel') for (const branch of state.Branches) forEachTask(branch, visit);
  }
}
