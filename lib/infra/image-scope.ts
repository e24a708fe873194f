import { PROMOTION_ORDER, type PromotionMap } from '../images/index.js';
import type { EnvName } from '../plan/index.js';
import type { TrustPolicy } from '../trust/index.js';
import { InfraConfigError } from './errors.js';

/** What one environment's stack verifies and may promote into, read from the promotion map. */
export interface ImageScope {
  /** Repository names (in this account's ECR) whose pushes are verified. */
  readonly watched: readonly string[];
  readonly watchedArns: readonly string[];
  /** The next environment's repositories (ARNs): the only ones promotion may push into. */
  readonly promotionTargetArns: readonly string[];
  /** KMS keys the trust policy lists by ARN. */
  readonly trustedKeyArns: readonly string[];
}

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/(.+)$/;

/**
 * The environment's repositories in the map must be this stack's own ECR (an EventBridge rule sees
 * only its account's pushes); its services' repositories in the next environment are the
 * promotion targets, in whatever account they live.
 */
export function imageScope(
  map: PromotionMap,
  trust: TrustPolicy,
  env: EnvName,
  account: string,
  region: string,
): ImageScope {
  const watched: string[] = [];
  const targets: string[] = [];
  const problems: string[] = [];
  const next = PROMOTION_ORDER.slice(PROMOTION_ORDER.indexOf(env) + 1);
  for (const [service, envs] of Object.entries(map.services)) {
    const own = envs[env];
    if (!own) continue;
    const parsed = ECR_IMAGE.exec(own);
    if (!parsed || parsed[1] !== account || parsed[2] !== region) {
      problems.push(`${service}.${env}: ${own} is not in this environment's ECR (${account}, ${region})`);
      continue;
    }
    watched.push(parsed[3]);
    const to = next.find((e) => envs[e]);
    if (!to) continue;
    const target = ECR_IMAGE.exec(envs[to] as string);
    if (!target)
      problems.push(`${service}.${to}: ${envs[to]} is not an ECR repository; promotion pushes into ECR`);
    else targets.push(`arn:aws:ecr:${target[2]}:${target[1]}:repository/${target[3]}`);
  }
  if (problems.length)
    throw new InfraConfigError('BAD_CONTEXT', `the promotion map ${map.file}:\n  ${problems.join('\n  ')}`);
  return {
    watched,
    watchedArns: watched.map((name) => `arn:aws:ecr:${region}:${account}:repository/${name}`),
    promotionTargetArns: targets,
    trustedKeyArns: trust.keys.flatMap((k) => (k.kmsKeyArn && !k.publicKey ? [k.kmsKeyArn] : [])),
  };
}
