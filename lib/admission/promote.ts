import { IMAGE_EVIDENCE } from '../evidence/index.js';
import { activeFreeze, ImageError } from '../images/index.js';
import type { EnvName } from '../plan/index.js';
import { copyImage, type RegistryClient } from '../registry/index.js';
import type { ImageVerificationRecord } from '../state/index.js';
import type { AdmissionDeps } from './deps.js';
import { retryableRegistry } from './errors.js';
import { splitImage } from './image-name.js';

/** Which verification allows the promotion: the image, its digest and the event it was verified for. */
export interface PromotionRequest {
  readonly image: string;
  readonly digest: string;
  readonly eventId: string;
  readonly execution: string;
}

/** The detail of `MC Image Promoted`. */
export interface PromotedDetail {
  readonly image: string;
  readonly digest: string;
  readonly from: EnvName;
  readonly to: EnvName;
  /** `registry-host/repository` the image now also lives in, under `tags`. */
  readonly target: string;
  readonly tags: readonly string[];
  readonly at: string;
  /** When the image was pushed where it was verified. */
  readonly pushedAt?: string;
  readonly service?: string;
  readonly evidence: { readonly bucket: string; readonly key: string };
}

/** The detail of `MC Image Promotion Blocked`. */
export interface BlockedDetail {
  readonly image: string;
  readonly digest: string;
  readonly to: EnvName;
  readonly code: 'MC-PROMOTE-KILL-SWITCH' | 'MC-PROMOTE-FREEZE';
  readonly reason: string;
  readonly window?: string;
  readonly at: string;
}

export type PromoteOutcome =
  | { readonly outcome: 'promoted'; readonly detail: PromotedDetail; readonly already: boolean }
  | { readonly outcome: 'blocked'; readonly detail: BlockedDetail };

/**
 * Promotes an image its verification allowed to promote: copies the manifest, what it references
 * and its signatures and attestations into the next environment's repository and points that
 * environment's tag at it, unless the kill switch is off or a freeze window covers the target.
 * Promoting the same digest again changes nothing and says so.
 */
export async function promoteVerified(
  deps: AdmissionDeps,
  request: PromotionRequest,
): Promise<PromoteOutcome> {
  const verification = await deps.images.getVerification(request.image, request.digest, request.eventId);
  const promotion = verification?.promotion;
  if (verification?.status !== 'VERIFIED' || !promotion?.allowed)
    throw new ImageError(
      'NOT_PROMOTABLE',
      `${request.image}@${request.digest} is not promotable by verification ${request.eventId}: ${notPromotable(verification)}`,
    );
  const at = deps.now().toISOString();
  const blocked = await blockedReason(deps, promotion.to, deps.now());
  if (blocked) {
    const detail: BlockedDetail = {
      image: request.image,
      digest: request.digest,
      to: promotion.to,
      ...blocked,
      at,
    };
    await deps.evidence.putJsonOnce(
      IMAGE_EVIDENCE.promotionBlocked(request.image, request.digest, promotion.to, at),
      detail,
    );
    await deps.images.setPromotionState(request.image, request.digest, {
      state: 'BLOCKED',
      to: promotion.to,
      repository: promotion.repository,
      at,
      reason: blocked.reason,
    });
    return { outcome: 'blocked', detail };
  }

  const tags = [deps.promotionMap().tag, ...(verification.tag ? [verification.tag] : [])];
  const key = IMAGE_EVIDENCE.promotion(request.image, request.digest, promotion.to);
  const detail: PromotedDetail = {
    image: request.image,
    digest: request.digest,
    from: verification.env,
    to: promotion.to,
    target: promotion.repository,
    tags,
    at,
    ...(verification.pushedAt ? { pushedAt: verification.pushedAt } : {}),
    ...(verification.service ? { service: verification.service } : {}),
    evidence: { bucket: deps.evidence.bucket, key },
  };
  const earlier = await deps.images.getPromotion(request.image, request.digest, promotion.to);
  if (earlier) {
    // A later verification of the same digest rewrote its view; it is still promoted.
    await deps.images.setPromotionState(request.image, request.digest, {
      state: 'PROMOTED',
      to: promotion.to,
      repository: promotion.repository,
      at: earlier.at,
    });
    return { outcome: 'promoted', already: true, detail: { ...detail, at: earlier.at } };
  }

  const source = splitImage(request.image);
  const target = splitImage(promotion.repository);
  await retryableRegistry(async () => {
    const from = deps.registry(source.host);
    const to: RegistryClient = target.host === source.host ? from : deps.registry(target.host);
    await copyImage(
      from,
      source.repository,
      request.digest,
      { client: to, repository: target.repository, tags },
      { referrers: true },
    );
  });
  await deps.evidence.putJsonOnce(key, {
    ...detail,
    verification: request.eventId,
    execution: request.execution,
  });
  const recorded = await deps.images.recordPromotion({
    image: request.image,
    digest: request.digest,
    from: verification.env,
    to: promotion.to,
    target: promotion.repository,
    tag: tags[0],
    at,
    execution: request.execution,
  });
  await deps.images.setPromotionState(request.image, request.digest, {
    state: 'PROMOTED',
    to: promotion.to,
    repository: promotion.repository,
    at,
  });
  if (recorded) {
    // The attestations were copied with the image: the same referrer digests, in the target.
    const sbomLink = (await deps.images.getImage(request.image, request.digest))?.sbomLink;
    await deps.images.putImage({
      image: promotion.repository,
      digest: request.digest,
      env: promotion.to,
      ...(verification.service ? { service: verification.service } : {}),
      status: 'VERIFIED',
      verifiedAt: at,
      eventId: request.eventId,
      signature: verification.signature ?? { status: 'missing', detail: '' },
      provenance: verification.provenance ?? { status: 'missing', detail: '' },
      sbom: verification.sbom ?? { status: 'missing', detail: '' },
      ...(sbomLink ? { sbomLink: sbomLink.replace(request.image, promotion.repository) } : {}),
      evidence: verification.evidence ?? key,
    });
    if (verification.service)
      await deps.images.addHistory({
        service: verification.service,
        env: promotion.to,
        image: promotion.repository,
        digest: request.digest,
        at,
        event: 'promoted',
      });
  }
  return { outcome: 'promoted', already: !recorded, detail };
}

function notPromotable(verification: ImageVerificationRecord | undefined): string {
  if (!verification) return 'no such verification is recorded';
  if (verification.status !== 'VERIFIED') return `it is ${verification.status}`;
  const promotion = verification.promotion;
  if (!promotion) return `the promotion map names no environment after ${verification.env}`;
  return `${promotion.to} would not accept it (${promotion.reasons.map((r) => r.message).join('; ')})`;
}

/** Why nothing may be promoted into `env` now: the kill switch, or an open freeze window. */
export async function blockedReason(
  deps: Pick<AdmissionDeps, 'promotionStopped' | 'freezeWindows'>,
  env: EnvName,
  now: Date,
): Promise<Pick<BlockedDetail, 'code' | 'reason' | 'window'> | undefined> {
  const stopped = await deps.promotionStopped();
  if (stopped) return { code: 'MC-PROMOTE-KILL-SWITCH', reason: stopped };
  const windows = deps.freezeWindows();
  const freeze = activeFreeze(windows, env, now);
  if (freeze)
    return {
      code: 'MC-PROMOTE-FREEZE',
      window: freeze.name,
      reason: `the freeze window ${freeze.name} (${freeze.from} to ${freeze.to}${freeze.reason ? `: ${freeze.reason}` : ''}, ${windows.file}) blocks promotion into ${env}`,
    };
  return undefined;
}
