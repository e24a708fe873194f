import { Environment, type ParseResult } from '@marcbachmann/cel-js';

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g;

/** The name an element of `for_each` is bound to. */
export const ELEMENT_NAME = { findings: 'finding', waivers: 'waiver', suppressed: 'suppressed' } as const;

const environments = new Map<string, Environment>();
const compiled = new Map<string, ParseResult>();

// `input` and `options` always; the element variable when the rule iterates.
function environmentFor(forEach: keyof typeof ELEMENT_NAME | undefined): Environment {
  const key = forEach ?? '';
  let env = environments.get(key);
  if (!env) {
    env = new Environment({
      homogeneousAggregateLiterals: false,
      limits: { maxAstNodes: 2000, maxDepth: 50 },
    });
    env.registerVariable('input', 'map');
    env.registerVariable('options', 'map');
    if (forEach) env.registerVariable(ELEMENT_NAME[forEach], 'map');
    environments.set(key, env);
  }
  return env;
}

/** Parses and checks a rule's CEL once; later calls reuse it. */
export function compileRuleExpression(source: string, forEach?: keyof typeof ELEMENT_NAME): ParseResult {
  const key = `${forEach ?? ''}\u0000${source}`;
  let run = compiled.get(key);
  if (!run) {
    const env = environmentFor(forEach);
    try {
      run = env.parse(source);
    } catch (error) {
      throw new Error(`invalid CEL "${source}": ${String((error as Error).message).split('\n')[0]}`);
    }
    const checked = run.check();
    if (!checked.valid)
      throw new Error(`invalid CEL "${source}": ${String(checked.error?.message ?? '').split('\n')[0]}`);
    compiled.set(key, run);
  }
  return run;
}

/** The `${{ … }}` expressions of a message, compiled. */
export function compileTemplate(text: string, forEach?: keyof typeof ELEMENT_NAME): ParseResult[] {
  return [...text.matchAll(TEMPLATE)].map((m) => compileRuleExpression(m[1].trim(), forEach));
}

/** A message with its expressions substituted. */
export function renderMessage(
  text: string,
  forEach: keyof typeof ELEMENT_NAME | undefined,
  context: Record<string, unknown>,
): string {
  return text.replace(TEMPLATE, (_match, source: string) => {
    const value = compileRuleExpression(source.trim(), forEach)(context);
    if (value === null || value === undefined) return '';
    if (typeof value === 'object')
      return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
    return String(value);
  });
}
