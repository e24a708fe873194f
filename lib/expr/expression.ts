import type { Environment, ParseResult } from '@marcbachmann/cel-js';
import { didYouMean } from '../suggest/index.js';
import {
  EXPRESSION_VARIABLES,
  planEnvironment,
  RUNTIME_FUNCTIONS,
  RUNTIME_VARIABLES,
} from './environment.js';
import { ExpressionError } from './errors.js';
import { fromCel, toCel } from './values.js';

/** A parsed, type-checked CEL expression and the names it uses. */
export interface CompiledExpression {
  readonly source: string;
  readonly variables: ReadonlySet<string>;
  readonly functions: ReadonlySet<string>;
  /** `matrix.<name>` members it reads; `undefined` entry when it indexes matrix dynamically. */
  readonly matrixKeys: ReadonlySet<string | undefined>;
  readonly run: ParseResult;
}

const cache = new Map<string, CompiledExpression>();

/** Parses and type-checks `source`; throws ExpressionError with the library's first message line. */
export function compileExpression(source: string): CompiledExpression {
  const hit = cache.get(source);
  if (hit) return hit;
  const env = planEnvironment();
  let run: ParseResult;
  try {
    run = env.parse(source);
  } catch (error) {
    throw new ExpressionError('SYNTAX', `invalid expression "${source}": ${firstLine(error)}`, {
      cause: error,
    });
  }
  const checked = run.check();
  if (!checked.valid) {
    const message = firstLine(checked.error);
    const unknown = /^Unknown variable: (\S+)/.exec(message)?.[1];
    const hint = unknown ? didYouMean(unknown, Object.keys(EXPRESSION_VARIABLES)) : '';
    throw new ExpressionError('TYPE', `invalid expression "${source}": ${message}${hint}`);
  }
  const compiled = { source, run, ...collectNames(run.ast) };
  cache.set(source, compiled);
  return compiled;
}

/** True when the expression needs values only a run has (github.*, hashFiles). */
export function needsRun(expression: CompiledExpression): boolean {
  return (
    [...expression.variables].some((v) => RUNTIME_VARIABLES.has(v)) ||
    [...expression.functions].some((f) => RUNTIME_FUNCTIONS.has(f))
  );
}

/** Evaluates with plain JS values in and out (YAML numbers, lists and maps). */
export function evaluateExpression(
  expression: CompiledExpression,
  context: Record<string, unknown>,
  env?: Environment,
): unknown {
  try {
    const run = env ? env.parse(expression.source) : expression.run;
    return fromCel(run(toCel(context) as Record<string, unknown>));
  } catch (error) {
    if (error instanceof ExpressionError) throw error;
    throw new ExpressionError('EVALUATION', `cannot evaluate "${expression.source}": ${firstLine(error)}`, {
      cause: error,
    });
  }
}

interface AstLike {
  op: string;
  args: unknown;
}

function collectNames(root: unknown): Pick<CompiledExpression, 'variables' | 'functions' | 'matrixKeys'> {
  const variables = new Set<string>();
  const functions = new Set<string>();
  const matrixKeys = new Set<string | undefined>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!isAst(node)) return;
    if (node.op === 'id') variables.add(String(node.args));
    if (node.op === 'call' && Array.isArray(node.args)) functions.add(String(node.args[0]));
    if (
      node.op === '.' &&
      Array.isArray(node.args) &&
      isAst(node.args[0]) &&
      node.args[0].args === 'matrix'
    ) {
      matrixKeys.add(String(node.args[1]));
    }
    if (
      node.op === '[]' &&
      Array.isArray(node.args) &&
      isAst(node.args[0]) &&
      node.args[0].args === 'matrix'
    ) {
      matrixKeys.add(undefined);
    }
    visit(node.args);
  };
  visit(root);
  return { variables, functions, matrixKeys };
}

function isAst(value: unknown): value is AstLike {
  return typeof value === 'object' && value !== null && 'op' in value && 'args' in value;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].trim();
}
