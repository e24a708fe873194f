import { toCel } from '../../expr/index.js';
import type { GateInput } from '../input/gate-input.js';
import { compileRuleExpression, ELEMENT_NAME, renderMessage } from './environment.js';
import type { Policy, PolicyRule } from './policy.js';

/** A rule the input breaks, once per element for `for_each` rules. */
export interface Violation {
  readonly rule: string;
  readonly severity: PolicyRule['severity'];
  readonly message: string;
  /** The finding's vulnerability id, when the rule iterates over findings. */
  readonly vulnerability?: string;
  /** The finding's component (purl, else name). */
  readonly component?: string;
  /** Set when the rule could not be evaluated: counted as a violation (fail closed). */
  readonly error?: string;
}

/** Every rule's outcome, for the report's policy lines. */
export interface RuleOutcome {
  readonly rule: string;
  readonly title: string;
  readonly passed: boolean;
  readonly violations: number;
  readonly explanation: string;
  readonly remedy?: string;
}

export interface PolicyEvaluation {
  readonly allow: boolean;
  readonly violations: readonly Violation[];
  readonly rules: readonly RuleOutcome[];
}

/**
 * Applies every rule to the gate input. `deny` true is a violation; a rule whose expression
 * errors (a missing field, a wrong type) is a violation too, naming the error: fail closed.
 */
export function evaluatePolicy(policy: Policy, input: GateInput): PolicyEvaluation {
  const celInput = toCel(input) as Record<string, unknown>;
  const options = toCel({ ...input.profile, block_only_unfixed: false, ...policy.options }) as Record<
    string,
    unknown
  >;
  const violations: Violation[] = [];
  const rules: RuleOutcome[] = [];
  for (const rule of policy.rules) {
    const before = violations.length;
    if (rule.for_each) {
      const elements = celInput[rule.for_each] as Record<string, unknown>[];
      const plain = input[rule.for_each] as unknown as readonly Record<string, unknown>[];
      elements.forEach((element, i) => {
        const context = {
          input: celInput,
          options,
          [ELEMENT_NAME[rule.for_each as keyof typeof ELEMENT_NAME]]: element,
        };
        const violation = apply(rule, context);
        if (violation) violations.push({ ...violation, ...subjectOf(rule, plain[i]) });
      });
    } else {
      const violation = apply(rule, { input: celInput, options });
      if (violation) violations.push(violation);
    }
    const count = violations.length - before;
    rules.push({
      rule: rule.id,
      title: rule.title ?? rule.id,
      passed: count === 0,
      violations: count,
      explanation: rule.explanation,
      ...(rule.remedy ? { remedy: rule.remedy } : {}),
    });
  }
  return { allow: violations.length === 0, violations, rules };
}

function apply(rule: PolicyRule, context: Record<string, unknown>): Violation | undefined {
  let denied: unknown;
  try {
    denied = compileRuleExpression(rule.deny, rule.for_each)(context);
  } catch (error) {
    return failClosed(rule, `could not be evaluated: ${firstLine(error)}`);
  }
  if (denied === false) return undefined;
  if (denied !== true) return failClosed(rule, `gave ${String(denied)}, not true or false`);
  try {
    return {
      rule: rule.id,
      severity: rule.severity,
      message: renderMessage(rule.message, rule.for_each, context),
    };
  } catch (error) {
    return {
      rule: rule.id,
      severity: rule.severity,
      message: `${rule.message} (message could not be rendered: ${firstLine(error)})`,
    };
  }
}

function failClosed(rule: PolicyRule, why: string): Violation {
  return {
    rule: rule.id,
    severity: rule.severity,
    message: `rule ${rule.id} ${why}; counted as a violation`,
    error: why,
  };
}

function subjectOf(
  rule: PolicyRule,
  element: Record<string, unknown> | undefined,
): Pick<Violation, 'vulnerability' | 'component'> {
  if (!element) return {};
  if (rule.for_each === 'findings') {
    const component = element.component as { purl: string; name: string };
    return { vulnerability: String(element.id), component: component.purl || component.name };
  }
  if (rule.for_each === 'waivers') return { vulnerability: String(element.vulnerability) };
  return { vulnerability: String(element.id), component: String(element.component) };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
