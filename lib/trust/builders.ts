import type { ProvenanceFacts } from '../verify/index.js';
import type { TrustPolicy } from './trust-policy.js';

/**
 * Why the policy does not trust provenance from this builder for this source, or undefined when
 * it does. A policy that lists no builders leaves the builder to the caller's own checks.
 */
export function refusedBuilder(policy: TrustPolicy, facts: ProvenanceFacts): string | undefined {
  if (!policy.builders.length) return undefined;
  const builder = policy.builders.find((b) => b.id === facts.builder);
  if (!builder)
    return `the builder ${facts.builder ?? '(none)'} is not one the trust policy ${policy.file} trusts (${policy.builders.map((b) => b.id).join(', ')})`;
  if (builder.sourceRegExp) {
    const pattern = new RegExp(builder.sourceRegExp);
    if (!facts.sources.some((source) => pattern.test(source)))
      return `the builder ${builder.id} is trusted for sources matching ${builder.sourceRegExp}, and the provenance names ${facts.sources.join(', ') || 'no source'}`;
  }
  return undefined;
}
