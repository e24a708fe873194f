import type { HistoryEvent } from '@aws-sdk/client-sfn';

/** A node as the execution history shows it. */
export interface RemoteNode {
  /** The node id, or for ids too long for a state name the shortened `…~hash` form. */
  readonly id: string;
  readonly status: 'WAITING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';
  /** Task attempts of the node's own work (a CodeBuild build or the action function). */
  readonly attempts: number;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly error?: string;
}

// State names are `<node id>[ | role]` (statemachines/pipeline/names.ts); node ids hold a '/'.
const ROLE = / \| (wait|run\?|done|skipped|failed|stop)$/;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Per-node outcomes read from an execution's history events: a run state entered is RUNNING,
 * exited SUCCEEDED; a skipped or failed (signal) state says so; a run state left without an exit
 * when the execution ended is FAILED if its last task attempt failed, else CANCELLED. Each event
 * belongs to the state whose Entered event its `previousEventId` chain reaches first.
 */
export function nodeOutcomes(events: readonly HistoryEvent[], executionRunning: boolean): RemoteNode[] {
  const stateOf = new Map<number, string>();
  const nodes = new Map<string, Mutable<RemoteNode> & { failedLast: boolean }>();
  const node = (id: string) => {
    let entry = nodes.get(id);
    if (!entry) {
      entry = { id, status: 'WAITING', attempts: 0, startedAt: null, endedAt: null, failedLast: false };
      nodes.set(id, entry);
    }
    return entry;
  };
  for (const event of events) {
    const at = event.timestamp ? event.timestamp.toISOString() : null;
    const entered = event.stateEnteredEventDetails?.name;
    const owner = entered ?? (event.previousEventId ? stateOf.get(event.previousEventId) : undefined);
    if (event.id !== undefined && owner !== undefined) stateOf.set(event.id, owner);
    const name = entered ?? event.stateExitedEventDetails?.name ?? owner;
    if (!name?.includes('/')) continue;
    const role = ROLE.exec(name)?.[1];
    const id = role ? name.slice(0, -` | ${role}`.length) : name;
    if (role === 'skipped' && entered) Object.assign(node(id), { status: 'SKIPPED', endedAt: at });
    else if (role === 'failed' && entered) Object.assign(node(id), { status: 'FAILED', endedAt: at });
    else if (role === 'wait' && entered) node(id);
    else if (role === undefined) runEvent(node(id), event, at);
  }
  return [...nodes.values()].map(({ failedLast, ...entry }) => {
    if (entry.status !== 'RUNNING' || executionRunning) return entry;
    return { ...entry, status: failedLast ? 'FAILED' : 'CANCELLED' };
  });
}

function runEvent(
  entry: Mutable<RemoteNode> & { failedLast: boolean },
  event: HistoryEvent,
  at: string | null,
): void {
  switch (event.type) {
    case 'TaskStateEntered':
      Object.assign(entry, { status: 'RUNNING', startedAt: entry.startedAt ?? at });
      return;
    case 'TaskScheduled':
      entry.attempts++;
      entry.failedLast = false;
      return;
    case 'TaskFailed':
    case 'TaskTimedOut':
    case 'TaskStartFailed':
    case 'TaskSubmitFailed': {
      const details =
        event.taskFailedEventDetails ??
        event.taskTimedOutEventDetails ??
        event.taskStartFailedEventDetails ??
        event.taskSubmitFailedEventDetails;
      entry.failedLast = true;
      entry.error = [details?.error, details?.cause].filter(Boolean).join(': ') || event.type;
      return;
    }
    case 'TaskStateExited':
      if (entry.status === 'FAILED') return;
      Object.assign(entry, { status: entry.failedLast ? 'FAILED' : 'SUCCEEDED', endedAt: at });
      if (!entry.failedLast) delete entry.error;
      return;
    default:
      return;
  }
}
