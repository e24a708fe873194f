export { PolicyError } from './errors.js';
export type { PolicyEvaluation, RuleOutcome, Violation } from './evaluate.js';
export { evaluatePolicy } from './evaluate.js';
export type { Policy, PolicyRule } from './policy.js';
export { maxWaiverTtlSeconds, parsePolicy } from './policy.js';
export type { PolicyTestCase, PolicyTestResult } from './policy-tests.js';
export { parsePolicyTests, runPolicyTest } from './policy-tests.js';
export { shippedPolicy } from './shipped.js';
