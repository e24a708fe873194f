import type { RunDeps } from '../lib/run/index.js';
import { FUNCTIONS, type PlatformFunction } from '../statemachines/pipeline/resources.js';
import { createHandler as action } from './action.js';
import { createHandler as nodeGate } from './node-gate.js';
import { createHandler as nodeSignal } from './node-signal.js';
import { createHandler as runFinish } from './run-finish.js';
import { createHandler as runStart } from './run-start.js';

export type Handler = (event: unknown) => Promise<unknown>;

/** Every platform function's handler, by deployed function name, bound to the given clients. */
export function platformHandlers(deps: () => RunDeps): Record<string, Handler> {
  const factories: Record<PlatformFunction, (d: () => RunDeps) => Handler> = {
    runStart,
    nodeGate,
    nodeSignal,
    runFinish,
    action,
  };
  return Object.fromEntries(
    Object.entries(factories).map(([fn, create]) => [FUNCTIONS[fn as PlatformFunction], create(deps)]),
  );
}
