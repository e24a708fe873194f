import { enforcementFrom, shippedPolicy } from '../gate/index.js';
import { loadFreezeWindows, loadPromotionMap } from '../images/index.js';
import { loadTrustPolicy } from '../trust/index.js';
import type { AdmissionDeps } from './deps.js';

/** Where the image policies come from: a file each, else the one mc ships. */
export interface ImagePolicyPaths {
  readonly trustPolicy?: string;
  readonly promotionMap?: string;
  readonly freezeWindows?: string;
}

/**
 * The rules image admission judges by, the same on AWS and on a workstation: the trust policy,
 * the promotion map and the freeze windows (each read once, on first use; `read` lets the CLI
 * turn a bad file into a usage error), the shipped supply-chain policy, and MC_ENFORCE.
 */
export function imageRules(
  paths: ImagePolicyPaths,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
  read: <T>(load: () => T) => T = (load) => load(),
): Pick<AdmissionDeps, 'trustPolicy' | 'promotionMap' | 'freezeWindows' | 'policy' | 'enforce'> {
  return {
    trustPolicy: once(() => read(() => loadTrustPolicy(paths.trustPolicy, cwd))),
    promotionMap: once(() => read(() => loadPromotionMap(paths.promotionMap, cwd))),
    freezeWindows: once(() => read(() => loadFreezeWindows(paths.freezeWindows, cwd))),
    policy: shippedPolicy,
    enforce: enforcementFrom(env),
  };
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}
