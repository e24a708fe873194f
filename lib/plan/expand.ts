import {
  compileExpression,
  conditionSource,
  ExpressionError,
  evaluateExpression,
  interpolate,
  needsRun,
  templateExpressions,
} from '../expr/index.js';
import {
  type Action,
  durationSeconds,
  forEachString,
  joinPointer,
  type Scalar,
  type Stage,
  type Step,
} from '../pipeline/index.js';
import { didYouMean } from '../suggest/index.js';
import type { PlanIssue, PlanNode } from './types.js';

/** What every expression of a pipeline can see at plan time. */
export interface PlanContext {
  readonly services: readonly Record<string, unknown>[];
  readonly serviceNames: ReadonlySet<string>;
  readonly registry: string;
  readonly env: Readonly<Record<string, unknown>>;
  readonly profile: string;
  readonly matrix: Readonly<Record<string, readonly Scalar[]>>;
  /** `github.*` when known at plan time (e.g. in CI); otherwise conditions using it wait for the run. */
  readonly github?: Readonly<Record<string, string>>;
}

/** A node before edges are drawn, with the values that pair it with nodes of neighbouring steps. */
export interface NodeDraft extends Omit<PlanNode, 'dependsOn'> {
  readonly bindings: ReadonlyMap<string, string>;
}

/** Expands one step into its nodes (for_each items × the matrix dimensions it uses). */
export function expandStep(
  stage: Stage,
  step: Step,
  pointer: string,
  context: PlanContext,
  issues: PlanIssue[],
): NodeDraft[] {
  const error = (at: string, message: string) => issues.push({ severity: 'error', pointer: at, message });
  const scope = baseScope(context);
  const warn = (at: string, message: string) => issues.push({ severity: 'warning', pointer: at, message });
  const items = forEachItems(step, pointer, scope, error, warn);
  if (!items) return [];
  const dims = matrixDimensions(stage, step, pointer, context, error);
  if (!dims) return [];
  const drafts: NodeDraft[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    for (const combo of combinations(dims, context.matrix)) {
      const suffix = [...(item ? [item.key] : []), ...dims.map((d) => String(combo[d]))];
      const id = `${stage.name}/${step.name}${suffix.length ? `[${suffix.join(',')}]` : ''}`;
      if (seen.has(id)) {
        error(
          joinPointer(pointer, 'for_each'),
          `two items of for_each are both named "${item?.key}"; node ids must be unique`,
        );
        continue;
      }
      seen.add(id);
      const nodeScope = { ...scope, matrix: combo, ...(item ? { item: item.value } : {}) };
      drafts.push(draftNode(stage, step, pointer, id, item, combo, dims, nodeScope, context, error));
    }
  }
  return drafts;
}

type Report = (pointer: string, message: string) => void;
interface Item {
  readonly key: string;
  readonly value: unknown;
  readonly source: string;
}

function baseScope(context: PlanContext): Record<string, unknown> {
  return {
    services: context.services,
    registry: context.registry,
    env: context.env,
    profile: context.profile,
    ...(context.github ? { github: context.github } : {}),
  };
}

// [undefined] when the step has no for_each, so the product below still yields one node.
function forEachItems(
  step: Step,
  pointer: string,
  scope: Record<string, unknown>,
  error: Report,
  warn: Report,
): (Item | undefined)[] | undefined {
  if (step.for_each === undefined) return [undefined];
  const at = joinPointer(pointer, 'for_each');
  let list: unknown = step.for_each;
  if (typeof step.for_each === 'string') {
    try {
      // Decided on the parsed expression, not the text: `item.matrix` or a 'matrix' string is fine.
      if (
        templateExpressions(step.for_each).some((source) => compileExpression(source).variables.has('matrix'))
      ) {
        error(at, 'for_each cannot use matrix: a step that reads matrix.<name> already runs once per value');
        return undefined;
      }
      const result = interpolate(step.for_each, scope);
      if (result.deferred.length > 0) {
        error(at, 'for_each must be known when planning; it cannot use github.* or hashFiles()');
        return undefined;
      }
      list = result.value;
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      error(at, e.message);
      return undefined;
    }
  }
  if (!Array.isArray(list)) {
    error(at, `for_each must give a list, got ${JSON.stringify(list)}`);
    return undefined;
  }
  if (list.length === 0) {
    warn(
      at,
      'for_each gives no items: this step has no nodes (stages that depend on this one still wait for its dependencies)',
    );
  }
  const source = typeof step.for_each === 'string' ? step.for_each.trim() : JSON.stringify(step.for_each);
  const items: Item[] = [];
  for (const value of list) {
    const key = itemKey(value);
    if (key !== undefined && !SAFE_KEY.test(key)) {
      error(
        at,
        `for_each item "${key}" cannot name a node: use letters, digits and . _ - + @ = : ~ only (no spaces, '/', ',' or brackets)`,
      );
      return undefined;
    }
    if (key === undefined) {
      error(
        at,
        `each for_each item must be a string, a number, a boolean or a map with a "name"; got ${JSON.stringify(value)}`,
      );
      return undefined;
    }
    items.push({ key, value, source });
  }
  return items;
}

/** Actions whose step runs a command (CodeBuild on AWS, a process locally). */
const COMMAND_ACTIONS: ReadonlySet<Action> = new Set(['run', 'setup-node']);

/** What an item or matrix value may be inside a node id (and so inside evidence keys and file names). */
const SAFE_KEY = /^[A-Za-z0-9._@+=:~-]+$/;

function itemKey(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string') {
    return (value as { name: string }).name;
  }
  return undefined;
}

// The matrix dimensions a step refers to, in the order the matrix declares them.
function matrixDimensions(
  stage: Stage,
  step: Step,
  pointer: string,
  context: PlanContext,
  error: Report,
): string[] | undefined {
  const declared = Object.keys(context.matrix);
  const used = new Set<string>();
  const texts: [string, string][] = [];
  forEachString(step, (text, at) => texts.push([text, pointer + at]));
  if (stage.condition) texts.push([`\${{ ${conditionSource(stage.condition)} }}`, '']);
  for (const [text] of texts) {
    for (const source of templateExpressions(text)) {
      let keys: ReadonlySet<string | undefined>;
      try {
        keys = compileExpression(source).matrixKeys;
      } catch (e) {
        if (e instanceof ExpressionError) continue; // reported by validation, at its position
        throw e;
      }
      for (const key of keys) {
        if (key === undefined) for (const d of declared) used.add(d);
        else used.add(key);
      }
    }
  }
  const unknown = [...used].filter((key) => !declared.includes(key));
  for (const key of unknown) {
    const at = texts.find(([text]) => text.includes(`matrix.${key}`))?.[1] ?? pointer;
    error(
      at,
      `matrix has no dimension "${key}" (spec.matrix declares ${declared.join(', ') || 'none'})${didYouMean(key, declared)}`,
    );
  }
  if (unknown.length) return undefined;
  const dims = declared.filter((d) => used.has(d));
  for (const dim of dims) {
    context.matrix[dim].forEach((value, i) => {
      if (!SAFE_KEY.test(String(value)))
        error(
          joinPointer('/spec/matrix', dim, i),
          `matrix value "${value}" cannot name a node: use letters, digits and . _ - + @ = : ~ only`,
        );
    });
  }
  return dims.every((d) => context.matrix[d].every((v) => SAFE_KEY.test(String(v)))) ? dims : undefined;
}

function combinations(dims: readonly string[], matrix: PlanContext['matrix']): Record<string, Scalar>[] {
  let combos: Record<string, Scalar>[] = [{}];
  for (const dim of dims) combos = combos.flatMap((c) => matrix[dim].map((v) => ({ ...c, [dim]: v })));
  return combos;
}

function draftNode(
  stage: Stage,
  step: Step,
  pointer: string,
  id: string,
  item: Item | undefined,
  combo: Record<string, Scalar>,
  dims: readonly string[],
  scope: Record<string, unknown>,
  context: PlanContext,
  error: Report,
): NodeDraft {
  const resolve = <T>(value: T, at: string): T => resolveTemplates(value, at, scope, error);
  const action: Action = step.action ?? 'run';
  const withInputs = resolve(step.with ?? {}, joinPointer(pointer, 'with'));
  if (COMMAND_ACTIONS.has(action)) {
    // A command step gets its inputs as MC_INPUT_* variables, fixed when the run starts.
    forEachString(withInputs, (text, at) => {
      if (text.includes('${{'))
        error(
          joinPointer(pointer, 'with') + at,
          'inputs of a command step become environment variables and cannot wait for the run (github.*, hashFiles()); use ${{ github.* }} in the command itself',
        );
    });
  }
  const bindings = new Map<string, string>();
  if (item) bindings.set(`item:${item.source}`, item.key);
  for (const d of dims) bindings.set(`matrix.${d}`, String(combo[d]));
  const condition = stage.condition ? decideCondition(stage.condition, scope, pointer, error) : undefined;
  checkCompute(stage, action, pointer, error);
  return {
    id,
    stage: stage.name,
    step: step.name,
    action,
    ...(item ? { item: item.value } : {}),
    ...(dims.length ? { matrix: combo } : {}),
    ...(step.command !== undefined
      ? { command: resolveCommand(step.command, joinPointer(pointer, 'command'), scope, error) }
      : {}),
    with: withInputs,
    artifacts: workspacePaths(
      resolve(step.artifacts ?? [], joinPointer(pointer, 'artifacts'))
        .flat()
        .map(String),
      joinPointer(pointer, 'artifacts'),
      error,
    ),
    services: nodeServices(step, item, withInputs, context),
    ...(condition?.runtime ? { condition: condition.runtime } : {}),
    ...(condition?.skip ? { skip: { reason: condition.skip } } : {}),
    retries: stage.retries ?? 0,
    ...(stage.timeout ? { timeoutSeconds: durationSeconds(stage.timeout) } : {}),
    ...(stage.compute ? { compute: stage.compute } : {}),
    source: pointer,
    bindings,
  };
}

// A command runs in a shell on the runner: what waits for the run may only be github.<field>,
// which the runner receives as the environment variable MC_GITHUB_<FIELD>.
// Artifacts are files of the workspace: an absolute path or `..` would reach outside it.
function workspacePaths(paths: string[], pointer: string, error: Report): string[] {
  paths.forEach((path, i) => {
    if (path.startsWith('/') || path.split(/[\\/]/).includes('..'))
      error(
        joinPointer(pointer, i),
        `artifact ${path} is outside the workspace; give a path relative to it, without ..`,
      );
  });
  return paths;
}

function resolveCommand(
  command: string,
  pointer: string,
  scope: Record<string, unknown>,
  error: Report,
): string {
  try {
    const { value, deferred } = interpolate(command, scope);
    for (const expression of deferred) {
      if (!RUNTIME_COMMAND_EXPRESSION.test(expression.source)) {
        error(
          pointer,
          `a command can use only github.sha, github.ref, github.repository, github.actor or github.event_name at run time, not "${expression.source}"; compute it in the command instead`,
        );
      }
    }
    return String(value).replace(
      /\$\{\{\s*github\.(\w+)\s*\}\}/g,
      (_, field: string) => `\${MC_GITHUB_${field.toUpperCase()}}`,
    );
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    error(pointer, e.message);
    return command;
  }
}

const RUNTIME_COMMAND_EXPRESSION = /^github\.(sha|ref|repository|actor|event_name)$/;

function resolveTemplates<T>(value: T, pointer: string, scope: Record<string, unknown>, error: Report): T {
  if (typeof value === 'string') {
    if (!value.includes('${{')) return value;
    try {
      return interpolate(value, scope).value as T;
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      error(pointer, e.message);
      return value;
    }
  }
  if (Array.isArray(value))
    return value.map((v, i) => resolveTemplates(v, joinPointer(pointer, i), scope, error)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveTemplates(v, joinPointer(pointer, k), scope, error)]),
    ) as T;
  }
  return value;
}

// Plan-time: a condition that can be decided is decided; one that needs the run is carried.
function decideCondition(
  text: string,
  scope: Record<string, unknown>,
  stepPointer: string,
  error: Report,
): { runtime?: string; skip?: string } | undefined {
  const source = conditionSource(text);
  const at = stepPointer.replace(/\/steps\/\d+$/, '/condition');
  try {
    const expression = compileExpression(source);
    if (needsRun(expression)) return { runtime: source };
    const value = evaluateExpression(expression, scope);
    if (typeof value !== 'boolean') {
      error(at, `condition must be true or false, got ${JSON.stringify(value)}`);
      return undefined;
    }
    return value ? undefined : { skip: `condition is false at plan time: ${source}` };
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    error(at, e.message);
    return undefined;
  }
}

// Which services a node works on: its for_each item when that is a service, else what the step names.
function nodeServices(
  step: Step,
  item: Item | undefined,
  withInputs: Record<string, unknown>,
  context: PlanContext,
): string[] {
  const key = item?.key;
  if (key !== undefined && context.serviceNames.has(key)) return [key];
  if (step.services?.length) return [...step.services];
  const named = withInputs.service;
  if (typeof named === 'string' && context.serviceNames.has(named)) return [named];
  return [];
}

// CodeBuild Lambda compute has no Docker and stops a build at 15 minutes: a stage that asks for it
// must fit (the compiler chooses EC2 for such stages when they name no compute).
function checkCompute(stage: Stage, action: Action, pointer: string, error: Report): void {
  if (stage.compute !== 'lambda') return;
  const stagePointer = pointer.replace(/\/steps\/\d+$/, '');
  if (action === 'docker-build' || action === 'docker-push')
    error(
      `${stagePointer}/compute`,
      `compute: lambda has no Docker, and step ${pointer.split('/').pop()} is ${action}; use ec2 or fleet (or leave compute out)`,
    );
  if (stage.timeout && durationSeconds(stage.timeout) > 900)
    error(
      `${stagePointer}/compute`,
      `compute: lambda stops a build after 15 minutes, and the stage's timeout is ${stage.timeout}; use ec2 or fleet, or a shorter timeout`,
    );
}
