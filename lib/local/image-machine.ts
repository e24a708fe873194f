import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { imageHandlers } from '../../lambdas/index.js';
import type { State, StateMachineDefinition } from '../../statemachines/asl/types.js';
import { RESOURCES } from '../../statemachines/pipeline/resources.js';
import { PUT_EVENTS } from '../../statemachines/verify-image/resources.js';
import type { AdmissionDeps } from '../admission/index.js';
import type { Json } from '../contract/index.js';
import { LocalEngineError } from './engine.js';

type InterpreterDefinition = ConstructorParameters<typeof StateMachine>[0];
type InterpreterInput = Parameters<StateMachine['run']>[0];

/** One entry of an EventBridge PutEvents call, as the machine sends it. */
export interface PutEventsEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: Json;
}

/** Where announced events go locally (AWS: the default event bus). */
export type EventSink = (entries: readonly PutEventsEntry[]) => Promise<void>;

export interface ImageMachineRun {
  readonly status: 'SUCCEEDED' | 'FAILED';
  /** The states entered, in order, as the console's graph would show them. */
  readonly states: readonly string[];
  readonly output?: Json;
  readonly error?: { readonly Error: string; readonly Cause: string };
}

export interface ImageMachineOptions {
  /** The compiled verify-image machine, unchanged. */
  readonly definition: StateMachineDefinition;
  /** The EventBridge event that starts it (an ECR Image Action). */
  readonly event: Json;
  readonly deps: AdmissionDeps;
  readonly events: EventSink;
  /** Pause before a retry, in ms (default: the definition's IntervalSeconds and backoff). */
  readonly retryDelayMs?: number;
  /** `$$.Execution.Id` (default: a new local one). */
  readonly executionId?: string;
}

/**
 * Runs the verify-image machine with `aws-local-stepfunctions`, as the pipeline engine does: the
 * definition is handed over as it is, and each Task state is mapped to its local implementation
 * (Lambda tasks to the handlers of lambdas/, in-process; PutEvents to the event sink).
 */
export async function runImageMachine(options: ImageMachineOptions): Promise<ImageMachineRun> {
  const handlers = imageHandlers(() => options.deps);
  const overrides: Record<string, (input: Json) => Promise<Json>> = {};
  const retries: Record<string, number> = {};
  for (const [name, state] of Object.entries(options.definition.States)) {
    if (state.Type !== 'Task') continue;
    if (options.retryDelayMs !== undefined && state.Retry?.length) retries[name] = options.retryDelayMs;
    overrides[name] = taskOverride(name, state, handlers, options.events);
  }
  const machine = new StateMachine(options.definition as unknown as InterpreterDefinition, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  const id =
    options.executionId ?? `arn:aws:states:local:000000000000:execution:mc-verify-image:${randomUUID()}`;
  const execution = machine.run(options.event as unknown as InterpreterInput, {
    overrides: { taskResourceLocalHandlers: overrides, retryIntervalOverrides: retries },
    context: { Execution: { Id: id, Name: id.split(':').pop() ?? id } },
  });
  const states: string[] = [];
  const logged = (async () => {
    for await (const event of execution.eventLogs)
      if (event.type === 'StateEntered') states.push(event.state.name);
  })();
  try {
    const output = (await execution.result) as Json;
    await logged;
    return { status: 'SUCCEEDED', states, output };
  } catch (error) {
    await logged.catch(() => undefined);
    // The interpreter wraps what failed the execution (a Fail state, an uncaught task error).
    const failure = ((error as { cause?: unknown }).cause ?? error) as { name?: string; message?: string };
    return {
      status: 'FAILED',
      states,
      error: { Error: failure.name ?? 'Error', Cause: failure.message ?? String(error) },
    };
  }
}

function taskOverride(
  name: string,
  state: Extract<State, { Type: 'Task' }>,
  handlers: Record<string, (event: unknown) => Promise<unknown>>,
  events: EventSink,
): (input: Json) => Promise<Json> {
  if (state.Resource === PUT_EVENTS)
    return async (input) => {
      const entries = ((input as { Entries?: PutEventsEntry[] }).Entries ?? []).map(
        (e): PutEventsEntry => ({
          ...e,
          Detail: typeof e.Detail === 'string' ? JSON.parse(e.Detail) : e.Detail,
        }),
      );
      await events(entries);
      return { Entries: entries.map(() => ({ EventId: randomUUID() })), FailedEntryCount: 0 };
    };
  if (state.Resource === RESOURCES.lambdaInvoke) {
    const fn = String(state.Parameters?.FunctionName ?? '');
    const handler = handlers[fn];
    if (!handler)
      throw new LocalEngineError('UNSUPPORTED', `state ${name}: no local handler for function ${fn}`);
    return async (input) => ({
      Payload: (await handler((input as { Payload?: unknown }).Payload)) as Json,
      StatusCode: 200,
    });
  }
  throw new LocalEngineError(
    'UNSUPPORTED',
    `state ${name}: the local engine has no implementation of ${state.Resource}`,
  );
}
