import type { State, StateMachineDefinition } from './types.js';

/**
 * AWS history events per state, as Step Functions Standard writes them on the success path:
 * a Lambda task (Entered, Scheduled, Started, Succeeded, Exited), a .sync or .waitForTaskToken
 * task (the same plus Submitted), a Choice or Succeed (Entered, Exited), a Parallel (Entered,
 * Started, Succeeded, Exited). A retried attempt adds Failed, Scheduled, Started (+ Submitted).
 */
export function eventsOfState(state: State): number {
  switch (state.Type) {
    case 'Task':
      return isAsyncTask(state.Resource) ? 6 : 5;
    case 'Parallel':
      return 4;
    case 'Fail':
      return 1;
    default:
      return 2;
  }
}

export function eventsOfRetry(state: State): number {
  return state.Type === 'Task' && isAsyncTask(state.Resource) ? 4 : 3;
}

function isAsyncTask(resource: string): boolean {
  return resource.endsWith('.sync') || resource.endsWith('.waitForTaskToken');
}

export interface HistoryModel {
  /** Events of a run where every state takes its success path. */
  readonly events: number;
  /** States entered (Step Functions bills Standard workflows per state transition). */
  readonly transitions: number;
  /** Task states that a stage retry would repeat (those with a Retry on step errors). */
  readonly retryableTasks: number;
  /** The events one retry of such a task adds. */
  readonly eventsPerRetry: number;
}

/**
 * Walks the machine along its success path (Choice: first rule) counting events, including
 * ExecutionStarted and ExecutionSucceeded. Every branch of every Parallel is walked.
 */
export function modelHistory(definition: StateMachineDefinition): HistoryModel {
  let events = 2;
  let transitions = 0;
  let retryableTasks = 0;
  let eventsPerRetry = 0;
  const walk = (machine: StateMachineDefinition): void => {
    let name: string | undefined = machine.StartAt;
    const seen = new Set<string>();
    while (name && !seen.has(name)) {
      seen.add(name);
      const state: State = machine.States[name];
      events += eventsOfState(state);
      transitions++;
      if (
        state.Type === 'Task' &&
        state.Retry?.some(
          (r) => r.ErrorEquals.includes('States.TaskFailed') && r.IntervalSeconds !== undefined,
        )
      ) {
        retryableTasks++;
        eventsPerRetry = Math.max(eventsPerRetry, eventsOfRetry(state));
      }
      if (state.Type === 'Parallel') for (const branch of state.Branches) walk(branch);
      name = state.Type === 'Choice' ? state.Choices[0]?.Next : 'Next' in state ? state.Next : undefined;
    }
  };
  walk(definition);
  return { events, transitions, retryableTasks, eventsPerRetry };
}

/** Expected events when a fraction `retryRate` of the stage tasks is retried once. */
export function expectedEvents(model: HistoryModel, retryRate: number, stageTasks: number): number {
  return model.events + Math.ceil(stageTasks * retryRate) * Math.max(model.eventsPerRetry, 4);
}
