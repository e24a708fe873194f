import { ERROR_NAMES } from '../../lib/contract/index.js';
import type { Plan, PlanNode } from '../../lib/plan/index.js';
import { assemble } from '../asl/graph.js';
import type { State, StateMachineDefinition } from '../asl/types.js';
import { chains, skippedAtPlanTime } from './chains.js';
import { fusedGroups } from './fuse.js';
import { stateName } from './names.js';
import {
  BRANCH_OUTPUT,
  decideState,
  fusedRunState,
  lambdaTask,
  runState,
  signalState,
  skippedEnd,
  waitState,
} from './node-states.js';

/**
 * The local interpreter runs at most 40 branches of one Parallel state at a time, and a branch
 * waiting for its dependencies holds its place; so no Parallel gets more than 40 branches, and
 * larger graphs nest (40 × 40 branches run at once at two levels).
 */
export const MAX_BRANCHES = 40;

export const TOP_STATES = {
  start: 'Start run',
  nodes: 'Run nodes',
  finish: 'Finish run',
  succeeded: 'Run succeeded?',
  recordFailure: 'Record failure',
  failed: 'Run failed',
  done: 'Run succeeded',
} as const;

/**
 * Plan → Amazon States Language (JSONPath). Each chain of nodes is a branch of a Parallel state;
 * a chain's head waits for its dependencies through the gate (a task token released when they
 * finish), so every node starts as soon as its own dependencies have succeeded. Deterministic:
 * the same plan gives byte-identical JSON.
 */
export function compilePipeline(plan: Plan): StateMachineDefinition {
  const skipped = skippedAtPlanTime(plan);
  const branches = chains(plan).map((chain) => chainBranch(plan, chain, skipped));
  const finish = lambdaTask('runFinish', { 'runId.$': '$.runId' }, TOP_STATES.succeeded, {
    ResultSelector: { 'status.$': '$.Payload.status' },
    ResultPath: '$.run',
  });
  const states: [string, State][] = [
    [TOP_STATES.start, lambdaTask('runStart', { 'run.$': '$' }, TOP_STATES.nodes)],
    [
      TOP_STATES.nodes,
      {
        ...nest(branches, TOP_STATES.nodes),
        ResultPath: null,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: TOP_STATES.recordFailure }],
        Next: TOP_STATES.finish,
      },
    ],
    [TOP_STATES.finish, finish],
    [
      TOP_STATES.succeeded,
      {
        Type: 'Choice',
        Choices: [{ Variable: '$.run.status', StringEquals: 'SUCCEEDED', Next: TOP_STATES.done }],
        Default: TOP_STATES.failed,
      },
    ],
    [
      TOP_STATES.recordFailure,
      lambdaTask('runFinish', { 'runId.$': '$.runId', 'failure.$': '$.failure' }, TOP_STATES.failed),
    ],
    [
      TOP_STATES.failed,
      {
        Type: 'Fail',
        Error: ERROR_NAMES.runFailed,
        Cause: `pipeline ${plan.pipeline} failed; see its node statuses`,
      },
    ],
    [TOP_STATES.done, { Type: 'Succeed' }],
  ];
  return {
    Comment: `Maestro Conductor pipeline ${plan.pipeline} (${plan.env}), ${plan.nodes.length} nodes`,
    // The execution outlives its nodes' timeouts by five minutes, so `Record failure` still runs.
    ...assemble(TOP_STATES.start, states, plan.timeoutSeconds ? plan.timeoutSeconds + 300 : undefined),
  };
}

// One branch: the chain's builds in order (a fused group is one build), each with the states its
// situation needs.
function chainBranch(
  plan: Plan,
  chain: readonly PlanNode[],
  skipped: ReadonlyMap<string, string>,
): StateMachineDefinition {
  const states: [string, State][] = [];
  const gated = needsGate(chain[0]);
  const entry = (node: PlanNode, i: number): string => {
    if (skipped.has(node.id)) return stateName(node.id, 'skipped');
    return gated && i === 0 ? stateName(node.id, 'wait') : stateName(node.id, 'run');
  };
  let i = 0;
  for (const group of fusedGroups(plan, chain, skipped)) {
    const node = group[0];
    const followers = chain.slice(i + 1).map((n) => n.id);
    const reason = skipped.get(node.id);
    if (reason !== undefined) {
      // Skipped when planning: so are the chain members after it; the handler records them all.
      states.push([stateName(node.id, 'skipped'), signalState(node, 'SKIPPED', { reason, followers })]);
      break;
    }
    if (i === 0 && gated) {
      states.push([
        stateName(node.id, 'wait'),
        waitState(plan, node, followers, stateName(node.id, 'decide')),
      ]);
      states.push([stateName(node.id, 'decide'), decideState(node)]);
      states.push([stateName(node.id, 'skipped'), skippedEnd()]);
    }
    const nextIndex = i + group.length;
    const next = chain[nextIndex];
    const after = next ? entry(next, nextIndex) : undefined;
    states.push([
      stateName(node.id, 'run'),
      group.length > 1 ? fusedRunState(plan, group, after) : runState(plan, node, after),
    ]);
    if (!plan.failFast) {
      // In a fused build the member that failed is the first that did not succeed: the handler
      // finds it, records it FAILED and skips the members and followers after it.
      const fused = group.slice(1).map((n) => n.id);
      states.push([stateName(node.id, 'failed'), signalState(node, 'FAILED', { followers, fused })]);
    }
    i = nextIndex;
  }
  return assemble(
    entry(chain[0], 0),
    states.map(([name, state]) => [
      name,
      endsBranch(state) ? { ...state, OutputPath: BRANCH_OUTPUT } : state,
    ]),
  );
}

function endsBranch(state: State): state is Extract<State, { Type: 'Task' }> {
  return state.Type === 'Task' && 'End' in state && state.End === true;
}

function needsGate(node: PlanNode): boolean {
  return node.dependsOn.length > 0 || node.condition !== undefined;
}

// Branches into one Parallel state, nested in groups of at most MAX_BRANCHES.
function nest(
  branches: StateMachineDefinition[],
  name: string,
): { Type: 'Parallel'; Branches: StateMachineDefinition[] } {
  let level = branches;
  let depth = 0;
  while (level.length > MAX_BRANCHES) {
    depth++;
    const groups: StateMachineDefinition[] = [];
    const size = Math.ceil(level.length / Math.ceil(level.length / MAX_BRANCHES));
    for (let i = 0; i < level.length; i += size) {
      const groupName = `${name} ${depth}.${groups.length + 1}`;
      const group: State = {
        Type: 'Parallel',
        Branches: level.slice(i, i + size),
        ResultPath: null,
        End: true,
      };
      groups.push(assemble(groupName, [[groupName, group]]));
    }
    level = groups;
  }
  return { Type: 'Parallel', Branches: level };
}

/** Step Functions refuses definitions larger than this (in bytes of compact JSON). */
export const MAX_DEFINITION_BYTES = 1024 * 1024;

/** A warning when the definition would not deploy to AWS, or undefined. */
export function definitionSizeWarning(definition: StateMachineDefinition): string | undefined {
  const bytes = Buffer.byteLength(JSON.stringify(definition));
  if (bytes <= MAX_DEFINITION_BYTES) return undefined;
  return `the state machine definition is ${bytes.toLocaleString('en')} bytes; AWS Step Functions accepts at most ${MAX_DEFINITION_BYTES.toLocaleString('en')} (shorter commands or fewer nodes per pipeline fit)`;
}
