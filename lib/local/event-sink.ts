import { randomUUID } from 'node:crypto';
import type { EvidenceStore } from '../evidence/index.js';
import type { EventSink, PutEventsEntry } from './image-machine.js';

/** Where local runs keep the events a deployment would put on its event bus. */
export const LOCAL_EVENTS_PREFIX = 'events/';

/**
 * The local event bus: each event is kept as evidence under `events/<date>/` (written once, in
 * EventBridge's envelope), and handed to `onEvent` (the CLI prints them).
 */
export function evidenceEventSink(
  evidence: EvidenceStore,
  now: () => Date,
  onEvent: (entry: PutEventsEntry) => void = () => undefined,
): EventSink {
  return async (entries) => {
    for (const entry of entries) {
      const at = now().toISOString();
      const id = randomUUID();
      await evidence.putJsonOnce(`${LOCAL_EVENTS_PREFIX}${at.slice(0, 10)}/${at}-${id}.json`, {
        version: '0',
        id,
        'detail-type': entry.DetailType,
        source: entry.Source,
        time: at,
        detail: entry.Detail,
      });
      onEvent(entry);
    }
  };
}
