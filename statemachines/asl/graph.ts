import { McError } from '../../lib/errors/index.js';
import type { State, StateMachineDefinition } from './types.js';

export class AslError extends McError<
  'DUPLICATE_STATE' | 'MISSING_STATE' | 'NAME_TOO_LONG' | 'UNREACHABLE_STATE'
> {}

/** Step Functions' limit on state names. */
export const MAX_STATE_NAME = 80;

/**
 * Assembles states into a machine and checks the whole-machine rules Step Functions enforces:
 * names unique across all nesting levels and at most 80 characters, every Next/Default/Catch
 * target present in its own scope, every state reachable.
 */
export function assemble(
  startAt: string,
  states: readonly (readonly [string, State])[],
  timeoutSeconds?: number,
): StateMachineDefinition {
  const map: Record<string, State> = {};
  for (const [name, state] of states) {
    if (name in map) throw new AslError('DUPLICATE_STATE', `state "${name}" is defined twice`);
    if ([...name].length > MAX_STATE_NAME) {
      throw new AslError(
        'NAME_TOO_LONG',
        `state "${name}" has ${[...name].length} characters; the limit is ${MAX_STATE_NAME}`,
      );
    }
    map[name] = state;
  }
  const definition: StateMachineDefinition = {
    StartAt: startAt,
    ...(timeoutSeconds ? { TimeoutSeconds: timeoutSeconds } : {}),
    States: map,
  };
  checkScope(definition);
  checkUniqueAcrossBranches(definition, new Set());
  return definition;
}

function targets(state: State): string[] {
  const out: string[] = [];
  if ('Next' in state && state.Next) out.push(state.Next);
  if (state.Type === 'Choice') out.push(state.Default, ...state.Choices.map((c) => c.Next));
  if ((state.Type === 'Task' || state.Type === 'Parallel') && state.Catch)
    out.push(...state.Catch.map((c) => c.Next));
  return out;
}

function checkScope(definition: StateMachineDefinition): void {
  const names = new Set(Object.keys(definition.States));
  if (!names.has(definition.StartAt))
    throw new AslError('MISSING_STATE', `StartAt names missing state "${definition.StartAt}"`);
  const reached = new Set<string>();
  const stack = [definition.StartAt];
  while (stack.length) {
    const name = stack.pop() as string;
    if (reached.has(name)) continue;
    reached.add(name);
    for (const next of targets(definition.States[name])) {
      if (!names.has(next))
        throw new AslError('MISSING_STATE', `state "${name}" goes to missing state "${next}"`);
      stack.push(next);
    }
  }
  const unreachable = [...names].filter((n) => !reached.has(n));
  if (unreachable.length)
    throw new AslError('UNREACHABLE_STATE', `unreachable states: ${unreachable.join(', ')}`);
}

function checkUniqueAcrossBranches(definition: StateMachineDefinition, seen: Set<string>): void {
  for (const [name, state] of Object.entries(definition.States)) {
    if (seen.has(name)) throw new AslError('DUPLICATE_STATE', `state "${name}" is defined twice`);
    seen.add(name);
    if (state.Type === 'Parallel')
      for (const branch of state.Branches) checkUniqueAcrossBranches(branch, seen);
  }
}
