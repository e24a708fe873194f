import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import schema from '../../../schema/supplychain-policy.v1.json' with { type: 'json' };
import { DEFAULT_MAX_TTL_SECONDS, parseTtl } from '../waivers/ttl.js';
import { compileRuleExpression, compileTemplate } from './environment.js';
import { PolicyError } from './errors.js';

export interface PolicyRule {
  readonly id: string;
  readonly title?: string;
  readonly severity: 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
  readonly for_each?: 'findings' | 'waivers' | 'suppressed';
  readonly deny: string;
  readonly message: string;
  readonly explanation: string;
  readonly remedy?: string;
}

export interface Policy {
  readonly apiVersion: 'policy.maestro.dev/v1';
  readonly kind: 'SupplyChainPolicy';
  readonly metadata: { readonly name: string; readonly description?: string };
  readonly options?: { readonly block_only_unfixed?: boolean; readonly max_waiver_ttl?: string };
  readonly rules: readonly PolicyRule[];
}

let validator: ValidateFunction<Policy> | undefined;

/**
 * A policy file, checked against schema/supplychain-policy.v1.json with every rule's CEL
 * compiled, so a typo fails when the policy is loaded rather than when a gate runs.
 */
export function parsePolicy(text: string, file: string): Policy {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new PolicyError('BAD_POLICY', `${file}: not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  validator ??= new Ajv2020({ allErrors: true, strict: true }).compile<Policy>(schema);
  if (!validator(doc)) {
    const problems = (validator.errors ?? []).map(
      (e) =>
        `${e.instancePath || '/'} ${e.message}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}`,
    );
    throw new PolicyError('BAD_POLICY', `${file}: not a SupplyChainPolicy: ${problems.join('; ')}`);
  }
  const policy = doc as Policy;
  const seen = new Set<string>();
  for (const rule of policy.rules) {
    if (seen.has(rule.id)) throw new PolicyError('BAD_POLICY', `${file}: rule ${rule.id} appears twice`);
    seen.add(rule.id);
    try {
      compileRuleExpression(rule.deny, rule.for_each);
      compileTemplate(rule.message, rule.for_each);
    } catch (error) {
      throw new PolicyError('BAD_POLICY', `${file}: rule ${rule.id}: ${(error as Error).message}`);
    }
  }
  return policy;
}

/** The longest life of a waiver this policy allows, in seconds. */
export function maxWaiverTtlSeconds(policy: Policy): number {
  return policy.options?.max_waiver_ttl ? parseTtl(policy.options.max_waiver_ttl) : DEFAULT_MAX_TTL_SECONDS;
}
