import type { KeyObject } from 'node:crypto';
import type { EvidenceStore } from '../evidence/index.js';
import type { Policy } from '../gate/index.js';
import type { FreezeWindows, PromotionMap } from '../images/index.js';
import type { EnvName } from '../plan/index.js';
import type { RegistryClient } from '../registry/index.js';
import type { ImageStore, WaiverStore } from '../state/index.js';
import type { TrustPolicy } from '../trust/index.js';

/** What image verification and promotion reach: the same on AWS and on a workstation. */
export interface AdmissionDeps {
  readonly images: ImageStore;
  readonly waivers: WaiverStore;
  readonly evidence: EvidenceStore;
  /** A registry client for a host. A new one per verification: it fetches each thing once. */
  readonly registry: (host: string) => RegistryClient;
  /** The registry an ECR event's account and region name (ECR on AWS; MC_REGISTRY locally). */
  readonly registryHost: (account: string, region: string) => string;
  readonly trustPolicy: () => TrustPolicy;
  readonly promotionMap: () => PromotionMap;
  readonly freezeWindows: () => FreezeWindows;
  /** The kill switch: why promotion is stopped (MC_PROMOTE=false), or undefined when it is on. */
  readonly promotionStopped: () => Promise<string | undefined>;
  /** The supply-chain policy an image's SBOM and findings are judged by. */
  readonly policy: () => Policy;
  /** False when MC_ENFORCE=false: the gate is advisory. */
  readonly enforce: boolean;
  /** A KMS key's public key, for trust-policy keys given by ARN only. */
  readonly kmsPublicKey?: (arn: string) => Promise<KeyObject>;
  /** The environment this deployment serves (MC_ENV on AWS): repositories outside the map are judged by it. */
  readonly env?: EnvName;
  readonly now: () => Date;
}
