import { actionSpec } from '../../lib/actions/registry.js';
import type { Json } from '../../lib/contract/index.js';
import type { Plan, PlanNode } from '../../lib/plan/index.js';
import type { Retrier, State, TaskState } from '../asl/types.js';
import { fusedBuildspec, nodeBuildspec } from './buildspec.js';
import { nodeCompute } from './compute.js';
import { stateName } from './names.js';
import {
  type FUNCTIONS,
  functionName,
  LAMBDA_COMPUTE_LIMIT_SECONDS,
  NEVER_RETRIED_ERRORS,
  RESOURCES,
  STAGE_RUNNER_PROJECTS,
} from './resources.js';

/** Default task timeout when neither the stage nor the pipeline sets one. */
export const DEFAULT_NODE_TIMEOUT_SECONDS = 3600;
/** How long a node may wait for its dependencies when the pipeline sets no timeout. */
export const DEFAULT_RUN_TIMEOUT_SECONDS = 86_400;

// The platform's own functions are idempotent: any task failure is retried a few times.
const PLATFORM_RETRY: Retrier[] = [{ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 3 }];

/** Where a state goes next: another state, or the end of its branch. */
export type Next = string | undefined;

export function transition(next: Next): { Next: string } | { End: true } {
  return next ? { Next: next } : { End: true };
}

/** A call of one of the platform's own functions (run bookkeeping). */
export function lambdaTask(
  fn: keyof typeof FUNCTIONS,
  payload: { [key: string]: Json },
  next: Next,
  extra: Partial<TaskState> = {},
): TaskState {
  return {
    Type: 'Task',
    Resource: RESOURCES.lambdaInvoke,
    Parameters: { FunctionName: functionName(fn), Payload: payload },
    ResultPath: null,
    // The interpreter's default is 60 s; ours are quick, but a slow store must not fail a run.
    TimeoutSeconds: 300,
    Retry: PLATFORM_RETRY,
    ...extra,
    ...transition(next),
  };
}

/**
 * The gate: registers the task token and waits until the node's dependencies are final, then
 * decides. A skip is recorded by the gate handler, for this node and the chain members after it
 * (`followers`), so the branch only has to end.
 */
export function waitState(plan: Plan, node: PlanNode, followers: readonly string[], next: string): TaskState {
  const payload: { [key: string]: Json } = {
    'taskToken.$': '$$.Task.Token',
    'runId.$': '$.runId',
    node: node.id,
    dependsOn: [...node.dependsOn],
  };
  if (followers.length) payload.followers = [...followers];
  if (node.condition) {
    payload.condition = node.condition;
    const scope = {
      ...(node.item !== undefined ? { item: node.item as Json } : {}),
      ...(node.matrix ? { matrix: node.matrix as Json } : {}),
    };
    if (Object.keys(scope).length) payload.scope = scope;
  }
  return {
    Type: 'Task',
    Resource: RESOURCES.lambdaInvokeWaitForToken,
    Parameters: { FunctionName: functionName('nodeGate'), Payload: payload },
    ResultPath: '$.gate',
    TimeoutSeconds: plan.timeoutSeconds ?? DEFAULT_RUN_TIMEOUT_SECONDS,
    Retry: PLATFORM_RETRY,
    Next: next,
  };
}

export function decideState(node: PlanNode): State {
  return {
    Type: 'Choice',
    Choices: [{ Variable: '$.gate.run', BooleanEquals: true, Next: stateName(node.id, 'run') }],
    Default: stateName(node.id, 'skipped'),
  };
}

/** Where a branch ends when its gate decided to skip (the gate recorded why). */
export function skippedEnd(): State {
  return { Type: 'Succeed', OutputPath: BRANCH_OUTPUT };
}

/**
 * What a branch hands back to its Parallel state: the run id alone. A Parallel's result is the
 * array of its branches' outputs, and with a thousand branches the full input would pass
 * Step Functions' 256 KiB payload limit before `ResultPath: null` drops it.
 */
export const BRANCH_OUTPUT = '$.runId';

/**
 * The node's own work: a CodeBuild build for commands, the action function for built-in actions.
 * Both record the attempt and, on success, the node's final status (which releases the nodes
 * waiting for it), so no separate state follows. Without fail-fast a failure is caught and
 * recorded by the signal state; with fail-fast it fails the branch, which stops the run.
 */
export function runState(plan: Plan, node: PlanNode, next: Next): TaskState {
  const spec = actionSpec(node.action);
  const retry: Retrier[] =
    node.retries > 0
      ? [
          { ErrorEquals: [...NEVER_RETRIED_ERRORS], MaxAttempts: 0 },
          {
            ErrorEquals: ['States.TaskFailed'],
            IntervalSeconds: 2,
            MaxAttempts: node.retries,
            BackoffRate: 2,
          },
        ]
      : [];
  const common = {
    TimeoutSeconds: nodeTimeoutSeconds(plan, node),
    ResultPath: null,
    ...(retry.length ? { Retry: retry } : {}),
    ...caught(plan, node),
    ...transition(next),
  };
  if (spec.runtime === 'codebuild') {
    return {
      Type: 'Task',
      Resource: RESOURCES.codeBuildSync,
      Parameters: {
        ProjectName: STAGE_RUNNER_PROJECTS[nodeCompute(node)],
        BuildspecOverride: nodeBuildspec(spec.command?.(node, plan) ?? ''),
        EnvironmentVariablesOverride: nodeEnvironment(plan, node),
      },
      ...common,
    };
  }
  const payload: { [key: string]: Json } = { 'runId.$': '$.runId', node: node.id, action: node.action };
  if (Object.keys(node.with).length) payload.with = node.with as Json;
  if (node.artifacts.length) payload.artifacts = [...node.artifacts];
  if (node.services.length) payload.services = [...node.services];
  return {
    Type: 'Task',
    Resource: RESOURCES.lambdaInvoke,
    Parameters: { FunctionName: functionName('action'), Payload: payload },
    ...common,
  };
}

/**
 * One build for a fused group of short steps (see fuse.ts): its buildspec runs each member as a
 * step of its own (workspace, attempt, timeout, outputs, status), so the members are recorded as
 * if they were separate builds. The group has no retries (fusion requires none); its timeout is
 * the sum of the members' own. MC_NODES lists the members, so a failed Build names the member
 * that failed: the first of them that did not succeed.
 */
export function fusedRunState(plan: Plan, group: readonly PlanNode[], next: Next): TaskState {
  const [first] = group;
  const steps = group.map((node) => ({
    node: node.id,
    command: actionSpec(node.action).command?.(node, plan) ?? '',
    timeoutSeconds: nodeTimeoutSeconds(plan, node),
  }));
  return {
    Type: 'Task',
    Comment: `one build for ${group.length} nodes: ${group.map((n) => n.id).join(', ')}`,
    Resource: RESOURCES.codeBuildSync,
    Parameters: {
      ProjectName: STAGE_RUNNER_PROJECTS[nodeCompute(first)],
      BuildspecOverride: fusedBuildspec(steps),
      EnvironmentVariablesOverride: [
        ...nodeEnvironment(plan, first),
        { Name: 'MC_NODES', Value: JSON.stringify(group.map((n) => n.id)) },
      ],
    },
    TimeoutSeconds: steps.reduce((sum, s) => sum + s.timeoutSeconds, 0),
    ResultPath: null,
    ...caught(plan, first),
    ...transition(next),
  };
}

/**
 * The task timeout of a node's own work: the stage's, else the pipeline's, else an hour; a build on
 * Lambda compute ends at 15 minutes, and the same limit holds locally.
 */
export function nodeTimeoutSeconds(plan: Plan, node: PlanNode): number {
  const seconds = node.timeoutSeconds ?? plan.timeoutSeconds ?? DEFAULT_NODE_TIMEOUT_SECONDS;
  return actionSpec(node.action).runtime === 'codebuild' && nodeCompute(node) === 'lambda'
    ? Math.min(seconds, LAMBDA_COMPUTE_LIMIT_SECONDS)
    : seconds;
}

// Without fail-fast a failure is caught and recorded by the node's `| failed` signal state.
function caught(plan: Plan, node: PlanNode): Partial<TaskState> {
  return plan.failFast
    ? {}
    : { Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: stateName(node.id, 'failed') }] };
}

/** Records a status the node's own work could not: skipped when planning, or failed (without fail-fast). */
export function signalState(
  node: PlanNode,
  status: 'FAILED' | 'SKIPPED',
  options: { reason?: string; followers?: readonly string[]; fused?: readonly string[] } = {},
): TaskState {
  const payload: { [key: string]: Json } = { 'runId.$': '$.runId', node: node.id, status };
  if (options.reason) payload.reason = options.reason;
  if (options.followers?.length) payload.followers = [...options.followers];
  if (options.fused?.length) payload.fused = [...options.fused];
  if (status === 'FAILED') payload['error.$'] = '$.error';
  return lambdaTask('nodeSignal', payload, undefined);
}

/** Everything a build needs to know arrives as environment variables, kept few: they repeat per node. */
export function nodeEnvironment(plan: Plan, node: PlanNode): Json[] {
  // Type defaults to PLAINTEXT; leaving it out keeps the definition small.
  const plain = (Name: string, Value: string) => ({ Name, Value });
  const fromInput = (Name: string, path: string) => ({ Name, 'Value.$': path });
  // The dependencies and the artifacts are found from these: the evidence URI ends in
  // runs/<pipeline>/<runId>/, and the run's plan.json there describes the node.
  const vars: Json[] = [
    fromInput('MC_RUN_ID', '$.runId'),
    plain('MC_NODE_ID', node.id),
    fromInput('MC_EVIDENCE', '$.evidence.uri'),
  ];
  for (const field of GITHUB_FIELDS) {
    const name = `MC_GITHUB_${field.toUpperCase()}`;
    if (node.command?.includes(name)) vars.push(fromInput(name, `$.github.${field}`));
  }
  if (node.item !== undefined)
    vars.push(plain('MC_ITEM', typeof node.item === 'string' ? node.item : JSON.stringify(node.item)));
  for (const [key, value] of Object.entries(node.matrix ?? {}))
    vars.push(plain(`MC_MATRIX_${envKey(key)}`, String(value)));
  for (const [key, value] of Object.entries(node.with)) {
    vars.push(plain(`MC_INPUT_${envKey(key)}`, typeof value === 'string' ? value : JSON.stringify(value)));
  }
  for (const [key, value] of Object.entries(plan.variables)) vars.push(plain(key, String(value)));
  return vars;
}

const GITHUB_FIELDS = ['sha', 'ref', 'repository', 'actor', 'event_name'] as const;

function envKey(key: string): string {
  return key.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}
