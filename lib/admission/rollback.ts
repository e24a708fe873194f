import { IMAGE_EVIDENCE } from '../evidence/index.js';
import { ImageError, serviceRepository } from '../images/index.js';
import type { EnvName } from '../plan/index.js';
import type { ImageHistoryRecord } from '../state/index.js';
import type { AdmissionDeps } from './deps.js';
import { retryableRegistry } from './errors.js';
import { splitImage } from './image-name.js';

export interface RollbackResult {
  readonly service: string;
  readonly env: EnvName;
  readonly image: string;
  readonly tag: string;
  /** What the tag pointed at before (undefined when it pointed nowhere). */
  readonly from?: string;
  readonly to: string;
  readonly at: string;
  readonly evidence: string;
}

/**
 * Re-points an environment's tag to the newest digest recorded as good there (verified there or
 * promoted into it) that is neither the one the tag points at now nor one rolled back from since
 * it was recorded, so rolling back twice goes back twice.
 */
export async function rollback(
  deps: Pick<AdmissionDeps, 'images' | 'evidence' | 'registry' | 'promotionMap' | 'now'>,
  service: string,
  env: EnvName,
): Promise<RollbackResult> {
  const map = deps.promotionMap();
  const image = serviceRepository(map, service, env);
  const { host, repository } = splitImage(image);
  const client = deps.registry(host);
  const current = await retryableRegistry(() => client.resolve(repository, map.tag));
  const target = previousGood(await deps.images.history(service, env), current?.digest);
  if (!target)
    throw new ImageError(
      'NOT_RECORDED',
      `no good image of ${service} in ${env} is recorded other than the one ${image}:${map.tag} points at${current ? ` (${current.digest})` : ''}`,
    );
  await retryableRegistry(async () => {
    const manifest = await client.manifest(repository, target.digest);
    await client.putManifest(repository, map.tag, manifest.bytes, manifest.mediaType);
  });
  const at = deps.now().toISOString();
  const evidence = IMAGE_EVIDENCE.rollback(image, target.digest, at);
  const result: RollbackResult = {
    service,
    env,
    image,
    tag: map.tag,
    ...(current ? { from: current.digest } : {}),
    to: target.digest,
    at,
    evidence,
  };
  await deps.evidence.putJsonOnce(evidence, result);
  await deps.images.addHistory({
    service,
    env,
    image,
    digest: target.digest,
    at,
    event: 'rolled-back',
    ...(current ? { from: current.digest } : {}),
  });
  return result;
}

// Newest first: a rollback seen before a good entry happened after it, and disqualifies its digest.
function previousGood(
  history: readonly ImageHistoryRecord[],
  current: string | undefined,
): ImageHistoryRecord | undefined {
  const rolledBackFrom = new Set<string>();
  for (const entry of history) {
    if (entry.event === 'rolled-back') {
      if (entry.from) rolledBackFrom.add(entry.from);
      continue;
    }
    if (entry.digest !== current && !rolledBackFrom.has(entry.digest)) return entry;
  }
  return undefined;
}
