import type { Environment } from '@marcbachmann/cel-js';
import { type CompiledExpression, compileExpression, evaluateExpression, needsRun } from './expression.js';
import { toText } from './values.js';

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g;

/** The `${{ … }}` expressions inside a string, in order. */
export function templateExpressions(text: string): string[] {
  return [...text.matchAll(TEMPLATE)].map((m) => m[1].trim());
}

/** A value with what could be decided now substituted and what needs a run left as `${{ … }}`. */
export interface Interpolated {
  readonly value: unknown;
  /** Expressions kept for the run. */
  readonly deferred: readonly CompiledExpression[];
}

/**
 * Substitutes every expression that can be evaluated from `context`. A string that is exactly one
 * expression takes the expression's value (so `for_each: ${{ services }}` gives a list).
 */
export function interpolate(text: string, context: Record<string, unknown>): Interpolated {
  const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(text);
  if (whole && !whole[1].includes('}}')) {
    const expression = compileExpression(whole[1].trim());
    if (needsRun(expression)) return { value: text, deferred: [expression] };
    return { value: evaluateExpression(expression, context), deferred: [] };
  }
  const deferred: CompiledExpression[] = [];
  const value = text.replace(TEMPLATE, (match, source: string) => {
    const expression = compileExpression(source.trim());
    if (needsRun(expression)) {
      deferred.push(expression);
      return match;
    }
    return toText(evaluateExpression(expression, context));
  });
  return { value, deferred };
}

/** A condition is a bare CEL expression; `${{ … }}` around it is accepted too. */
export function conditionSource(text: string): string {
  const wrapped = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text);
  return (wrapped ? wrapped[1] : text).trim();
}

/**
 * Evaluates the `${{ … }}` a plan left for the run, in `environment` (one whose hashFiles() reads
 * the build's workspace), and returns the text.
 */
export function renderAtRun(
  text: string,
  environment: Environment,
  context: Record<string, unknown> = {},
): string {
  return text.replace(TEMPLATE, (_match, source: string) =>
    toText(evaluateExpression(compileExpression(source.trim()), context, environment)),
  );
}
