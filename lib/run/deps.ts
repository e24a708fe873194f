import type { EvidenceStore } from '../evidence/index.js';
import type { RegistryClient } from '../registry/index.js';
import type { KeyedSigner } from '../signing/index.js';
import type { StateStore, WaiverStore } from '../state/index.js';
import type { TaskTokens } from '../tokens/index.js';
import type { TrustPolicy } from '../trust/index.js';

/** What the run handlers reach: the same on AWS (DynamoDB, S3, Step Functions) and locally. */
export interface RunDeps {
  readonly state: StateStore;
  /** Waivers, for the gate action. */
  readonly waivers: WaiverStore;
  readonly evidence: EvidenceStore;
  readonly tokens: TaskTokens;
  readonly now: () => Date;
  /** The run's signer (the project key locally, the pipeline's KMS key on AWS), made on first use. */
  readonly signer: () => KeyedSigner;
  /** The trust policy: which kinds of signer each environment accepts (MC_TRUST_POLICY, else the shipped one). */
  readonly trustPolicy: () => TrustPolicy;
  /** A client for an image registry (ECR with its token on AWS; plain HTTP for MC_INSECURE_REGISTRIES hosts). */
  readonly registry: (host: string) => RegistryClient;
}
