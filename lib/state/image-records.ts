import type { EnvName } from '../plan/index.js';

/** What one check of an image found (the gate's check result, with who signed or built it). */
export interface ImageCheck {
  readonly status: 'verified' | 'missing' | 'invalid' | 'not-collected';
  readonly detail: string;
}

export interface ImageReasonRecord {
  readonly code: string;
  readonly message: string;
}

/** Whether a verified image may go to the next environment, judged by that environment's rules. */
export interface PromotabilityRecord {
  readonly to: EnvName;
  readonly repository: string;
  readonly allowed: boolean;
  readonly reasons: readonly ImageReasonRecord[];
}

/**
 * One verification of a pushed image, keyed by the event that asked for it and the digest: a
 * second delivery of the event finds it and does nothing. It is claimed (VERIFYING) by one
 * execution before any registry is read, then decided by that execution.
 */
export interface ImageVerificationRecord {
  /** `registry-host/repository` */
  readonly image: string;
  readonly digest: string;
  readonly eventId: string;
  /** The execution (or CLI invocation) that claimed it. */
  readonly execution: string;
  readonly env: EnvName;
  readonly service?: string;
  readonly tag?: string;
  /** When the image was pushed (the ECR event's time). */
  readonly pushedAt?: string;
  /** UNVERIFIABLE: the registry did not answer; the claim is free to take again. */
  readonly status: 'VERIFYING' | 'VERIFIED' | 'REJECTED' | 'UNVERIFIABLE';
  readonly claimedAt: string;
  /** Why it could not be decided (UNVERIFIABLE). */
  readonly reason?: string;
  readonly decidedAt?: string;
  readonly signature?: ImageCheck;
  readonly provenance?: ImageCheck;
  readonly sbom?: ImageCheck;
  readonly reasons?: readonly ImageReasonRecord[];
  /** Evidence key of the decision (decision.json), next to the gate report. */
  readonly evidence?: string;
  readonly promotion?: PromotabilityRecord;
}

/** The registry attestation view of an image: its latest verification and promotion. */
export interface ImageRecord {
  readonly image: string;
  readonly digest: string;
  readonly env: EnvName;
  readonly service?: string;
  readonly status: 'VERIFIED' | 'REJECTED';
  readonly verifiedAt: string;
  readonly eventId: string;
  readonly signature: ImageCheck;
  readonly provenance: ImageCheck;
  readonly sbom: ImageCheck;
  /** Where the SBOM is: the image's SBOM attestation, `registry/repository@<referrer digest>`. */
  readonly sbomLink?: string;
  readonly evidence: string;
  readonly promotion?: {
    readonly state: 'PROMOTED' | 'BLOCKED' | 'NOT_ALLOWED';
    readonly to: EnvName;
    readonly repository: string;
    readonly at: string;
    readonly reason?: string;
  };
}

/** A promotion of a digest into an environment, made once. */
export interface PromotionRecord {
  readonly image: string;
  readonly digest: string;
  readonly from: EnvName;
  readonly to: EnvName;
  readonly target: string;
  readonly tag: string;
  readonly at: string;
  readonly execution: string;
}

/**
 * What happened to a service's images in an environment: a digest verified there or promoted into
 * it (a good one), or a rollback from one digest to another (`digest` is where it went).
 */
export interface ImageHistoryRecord {
  readonly service: string;
  readonly env: EnvName;
  readonly image: string;
  readonly digest: string;
  readonly at: string;
  readonly event: 'verified' | 'promoted' | 'rolled-back';
  /** For a rollback: the digest the environment's tag pointed at before. */
  readonly from?: string;
}
