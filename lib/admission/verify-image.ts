import { IMAGE_EVIDENCE } from '../evidence/index.js';
import {
  type CollectedImage,
  collectImage,
  decideImage,
  type ImageDecision,
  type ImageDecisionOptions,
  type ImageReason,
  locateRepository,
  type MappedRepository,
  parsePushEvent,
} from '../images/index.js';
import type { EnvName } from '../plan/index.js';
import { RegistryError } from '../registry/index.js';
import type { ImageCheck, ImageVerificationRecord, PromotabilityRecord } from '../state/index.js';
import type { AdmissionDeps } from './deps.js';
import { retryableRegistry } from './errors.js';

/** An image to verify: where it is, which digest, and what asked for it. */
export interface VerificationRequest {
  /** Registry host, e.g. 111111111111.dkr.ecr.eu-west-1.amazonaws.com or 127.0.0.1:5000. */
  readonly host: string;
  readonly repository: string;
  readonly digest: string;
  readonly tag?: string;
  /** The event id (EventBridge), or a made-up one for a verification asked for by hand. */
  readonly eventId: string;
  /** Who does the work: the execution id, or the CLI invocation. */
  readonly execution: string;
  /** When the image was pushed (the event's time), for the promotion latency. */
  readonly pushedAt?: string;
}

/** What an image verification announces (the detail of `MC Image Verified` / `MC Image Rejected`). */
export interface ImageEventDetail {
  readonly eventId: string;
  readonly image: string;
  readonly digest: string;
  readonly tag?: string;
  readonly env: EnvName;
  readonly service?: string;
  readonly verdict: 'verified' | 'rejected';
  readonly signature: ImageCheck;
  readonly provenance: ImageCheck;
  readonly sbom: ImageCheck;
  /** Machine-readable: policy rule ids (MC-SIG-001, …) or MC-IMAGE-* codes, each with a message. */
  readonly reasons: readonly ImageReason[];
  readonly evidence: { readonly bucket: string; readonly key: string };
  readonly promotion?: PromotabilityRecord;
}

/** What the verify step answers; every outcome has all three fields (the machine selects them). */
export type VerifyOutcome =
  | {
      readonly outcome: 'ignored';
      readonly detail: { readonly eventId: string; readonly reason: string };
      readonly promote: false;
    }
  | {
      readonly outcome: 'duplicate';
      readonly detail: {
        readonly eventId: string;
        readonly image: string;
        readonly digest: string;
        readonly status: ImageVerificationRecord['status'];
      };
      readonly promote: false;
    }
  | {
      readonly outcome: 'verified' | 'rejected';
      readonly detail: ImageEventDetail;
      /** Whether the promote step has something to do. */
      readonly promote: boolean;
    };

/** Claims left VERIFYING this long by an execution that died may be taken over. */
const STALE_CLAIM_MS = 15 * 60_000;
/** EventBridge details stay far below the 256 KiB entry limit. */
const MAX_REASONS = 50;

/** The verify step of the verify-image machine: an ECR push event in, a decision out. */
export async function verifyPush(
  deps: AdmissionDeps,
  payload: { readonly event: unknown; readonly execution: string },
): Promise<VerifyOutcome> {
  const push = parsePushEvent(payload.event);
  if (push.kind === 'ignored')
    return { outcome: 'ignored', detail: { eventId: push.eventId, reason: push.reason }, promote: false };
  return verifyImage(deps, {
    host: deps.registryHost(push.account, push.region),
    repository: push.repository,
    digest: push.digest,
    ...(push.tag ? { tag: push.tag } : {}),
    eventId: push.eventId,
    execution: payload.execution,
    pushedAt: push.time,
  });
}

/**
 * Verifies one image by digest, once per (event, digest): claims the verification, fetches the
 * image's attachments once, judges them by the trust and supply-chain policies of the
 * repository's environment (and, when the promotion map names a next environment, by that
 * environment's too), keeps the decision as evidence and records it.
 */
export async function verifyImage(deps: AdmissionDeps, request: VerificationRequest): Promise<VerifyOutcome> {
  const image = `${request.host}/${request.repository}`;
  const mapped = locateRepository(deps.promotionMap(), image);
  const env = mapped?.env ?? deps.env ?? 'prod';
  const claim = {
    image,
    digest: request.digest,
    eventId: request.eventId,
    execution: request.execution,
    env,
    ...(mapped ? { service: mapped.service } : {}),
    ...(request.tag ? { tag: request.tag } : {}),
    ...(request.pushedAt ? { pushedAt: request.pushedAt } : {}),
    claimedAt: deps.now().toISOString(),
  };
  const staleBefore = new Date(deps.now().getTime() - STALE_CLAIM_MS).toISOString();
  if (!(await deps.images.claimVerification(claim, staleBefore))) {
    const recorded = await deps.images.getVerification(image, request.digest, request.eventId);
    return {
      outcome: 'duplicate',
      detail: {
        eventId: request.eventId,
        image,
        digest: request.digest,
        status: recorded?.status ?? 'VERIFYING',
      },
      promote: false,
    };
  }

  let found: Found;
  try {
    found = await retryableRegistry(() => collect(deps, request));
  } catch (error) {
    await deps.images.releaseVerification(claim, (error as Error).message);
    throw error;
  }
  const decision = await decide(deps, found, env, image, mapped);
  const key = IMAGE_EVIDENCE.decision(image, request.digest, request.eventId);
  await keepEvidence(deps, request, image, decision, key);

  const misplaced = placement(image, mapped, deps.env);
  const reasons = [...misplaced, ...decision.own.reasons].slice(0, MAX_REASONS);
  const verdict = decision.own.verdict === 'verified' && !misplaced.length;
  const status = verdict ? 'VERIFIED' : 'REJECTED';
  const checks = {
    signature: check(decision.own.signature),
    provenance: check(decision.own.provenance),
    sbom: check(decision.own.sbom),
  };
  const decidedAt = deps.now().toISOString();
  await deps.images.decideVerification(claim, {
    status,
    decidedAt,
    ...checks,
    reasons,
    evidence: key,
    ...(decision.promotion ? { promotion: decision.promotion } : {}),
  });
  await deps.images.putImage({
    image,
    digest: request.digest,
    env,
    ...(mapped ? { service: mapped.service } : {}),
    status,
    verifiedAt: decidedAt,
    eventId: request.eventId,
    ...checks,
    ...(decision.own.sbom.referrers?.length
      ? { sbomLink: `${image}@${decision.own.sbom.referrers[0]}` }
      : {}),
    evidence: key,
    ...(decision.promotion && !decision.promotion.allowed
      ? {
          promotion: {
            state: 'NOT_ALLOWED' as const,
            to: decision.promotion.to,
            repository: decision.promotion.repository,
            at: decidedAt,
            reason: decision.promotion.reasons.map((r) => r.message).join('; '),
          },
        }
      : {}),
  });
  if (verdict && mapped)
    await deps.images.addHistory({
      service: mapped.service,
      env,
      image,
      digest: request.digest,
      at: decidedAt,
      event: 'verified',
    });
  return {
    outcome: verdict ? 'verified' : 'rejected',
    promote: verdict && decision.promotion?.allowed === true,
    detail: {
      eventId: request.eventId,
      image,
      digest: request.digest,
      ...(request.tag ? { tag: request.tag } : {}),
      env,
      ...(mapped ? { service: mapped.service } : {}),
      verdict: verdict ? 'verified' : 'rejected',
      ...checks,
      reasons,
      evidence: { bucket: deps.evidence.bucket, key },
      ...(decision.promotion ? { promotion: decision.promotion } : {}),
    },
  };
}

type Found =
  | { readonly kind: 'found'; readonly image: CollectedImage }
  | { readonly kind: 'unreadable'; readonly reason: ImageReason };

// The manifest (the digest must exist) and everything attached to it, each fetched once.
async function collect(deps: AdmissionDeps, request: VerificationRequest): Promise<Found> {
  const client = deps.registry(request.host);
  try {
    await client.manifest(request.repository, request.digest);
    return { kind: 'found', image: await collectImage(client, request.repository, request.digest) };
  } catch (error) {
    if (!(error instanceof RegistryError) || error.code === 'UNREACHABLE') throw error;
    const code = error.code === 'NOT_FOUND' ? 'MC-IMAGE-NOT-FOUND' : 'MC-IMAGE-REGISTRY';
    return { kind: 'unreadable', reason: { code, message: error.message } };
  }
}

interface Decisions {
  readonly own: Pick<ImageDecision, 'verdict' | 'signature' | 'provenance' | 'sbom' | 'reasons'> &
    Partial<Pick<ImageDecision, 'gate' | 'markdown'>>;
  readonly promotion?: PromotabilityRecord;
}

async function decide(
  deps: AdmissionDeps,
  found: Found,
  env: EnvName,
  image: string,
  mapped: MappedRepository | undefined,
): Promise<Decisions> {
  if (found.kind === 'unreadable') {
    const none = { status: 'missing' as const, detail: 'the image could not be read' };
    return {
      own: { verdict: 'rejected', signature: none, provenance: none, sbom: none, reasons: [found.reason] },
    };
  }
  const options = await decisionOptions(deps, image);
  const own = await decideImage(found.image, { ...options, env });
  if (!mapped?.next) return { own };
  // Promotion is judged by where the image would go: it must be verified by that environment's rules too.
  const next = await decideImage(found.image, { ...options, env: mapped.next.env });
  return {
    own,
    promotion: {
      to: mapped.next.env,
      repository: mapped.next.repository,
      allowed: own.verdict === 'verified' && next.verdict === 'verified',
      reasons: next.verdict === 'verified' ? [] : next.reasons.slice(0, MAX_REASONS),
    },
  };
}

async function keepEvidence(
  deps: AdmissionDeps,
  request: VerificationRequest,
  image: string,
  decision: Decisions,
  key: string,
): Promise<void> {
  const { gate, markdown, ...own } = decision.own;
  await deps.evidence.putJsonOnce(key, {
    image,
    digest: request.digest,
    tag: request.tag,
    eventId: request.eventId,
    execution: request.execution,
    decision: own,
    promotion: decision.promotion,
  });
  if (gate)
    await deps.evidence.putJsonOnce(
      IMAGE_EVIDENCE.gateReport(image, request.digest, request.eventId, 'json'),
      gate,
    );
  if (markdown)
    await deps.evidence.putOnce(
      IMAGE_EVIDENCE.gateReport(image, request.digest, request.eventId, 'md'),
      markdown,
      'text/markdown',
    );
}

/** What judging an image needs besides its environment: the rules, the waivers, the time. */
export async function decisionOptions(
  deps: AdmissionDeps,
  image: string,
): Promise<Omit<ImageDecisionOptions, 'env'>> {
  return {
    trust: deps.trustPolicy(),
    policy: deps.policy(),
    waivers: await deps.waivers.list(),
    enforce: deps.enforce,
    now: deps.now(),
    name: image,
    ...(deps.kmsPublicKey ? { kmsPublicKey: deps.kmsPublicKey } : {}),
  };
}

// A repository outside the promotion map, where no deployment environment says whose it is, is
// judged by prod's rules and rejected: mc cannot tell which environment's rules were meant. One
// the map places in another environment than this deployment's is a misconfiguration: rejected.
function placement(
  image: string,
  mapped: MappedRepository | undefined,
  env: EnvName | undefined,
): ImageReason[] {
  if (!mapped && !env)
    return [
      {
        code: 'MC-IMAGE-UNKNOWN-REPOSITORY',
        message: `${image} is in no environment of the promotion map, and no environment is configured (MC_ENV); add it to the map`,
      },
    ];
  if (mapped && env && mapped.env !== env)
    return [
      {
        code: 'MC-IMAGE-WRONG-ENVIRONMENT',
        message: `the promotion map places ${image} in ${mapped.env}, but it was pushed to the ${env} deployment`,
      },
    ];
  return [];
}

function check(result: { status: ImageCheck['status']; detail: string }): ImageCheck {
  return { status: result.status, detail: result.detail };
}
