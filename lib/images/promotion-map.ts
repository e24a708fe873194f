import schema from '../../schema/promotion-map.json' with { type: 'json' };
import { type DocumentKind, parseDocument, readDocument } from '../documents/index.js';
import type { EnvName } from '../plan/index.js';
import { ImageError } from './errors.js';

/** Environments in promotion order: an image verified in one may go to the next. */
export const PROMOTION_ORDER: readonly EnvName[] = ['dev', 'staging', 'prod'];

export const SHIPPED_PROMOTION_MAP = 'policy/promotion.yaml';
const DEFAULT_TAG = 'current';

interface PromotionMapDocument {
  readonly metadata: { readonly name: string };
  readonly tag?: string;
  readonly services: Readonly<Record<string, Partial<Record<EnvName, string>>>>;
}

/** Where each service's images live per environment (`registry-host/repository`). */
export interface PromotionMap {
  readonly file: string;
  readonly name: string;
  /** The tag naming an environment's current image. */
  readonly tag: string;
  readonly services: Readonly<Record<string, Partial<Record<EnvName, string>>>>;
}

/** Where a repository sits in the map. */
export interface MappedRepository {
  readonly service: string;
  readonly env: EnvName;
  /** The next environment's repository, when the service has one. */
  readonly next?: { readonly env: EnvName; readonly repository: string };
}

const PROMOTION_MAP: DocumentKind = {
  what: 'promotion map',
  kind: 'PromotionMap',
  schema,
  shipped: SHIPPED_PROMOTION_MAP,
  fail: (message) => new ImageError('BAD_POLICY_FILE', message),
};

/** A promotion map file, or the shipped one (MC_PROMOTION_MAP names another). */
export function loadPromotionMap(path?: string, cwd: string = process.cwd()): PromotionMap {
  const file = readDocument(PROMOTION_MAP, path, cwd);
  return parsePromotionMap(file.text, file.display);
}

export function parsePromotionMap(text: string, file: string): PromotionMap {
  return toMap(parseDocument<PromotionMapDocument>(PROMOTION_MAP, text, file), file);
}

function toMap(doc: PromotionMapDocument, file: string): PromotionMap {
  const seen = new Map<string, string>();
  for (const [service, envs] of Object.entries(doc.services))
    for (const [env, repository] of Object.entries(envs)) {
      const other = seen.get(repository as string);
      if (other)
        throw new ImageError(
          'BAD_POLICY_FILE',
          `${file}: ${repository} is listed twice (${other} and ${service}.${env}); a repository belongs to one service in one environment`,
        );
      seen.set(repository as string, `${service}.${env}`);
    }
  return { file, name: doc.metadata.name, tag: doc.tag ?? DEFAULT_TAG, services: doc.services };
}

/** The service and environment of `registry/repository`, and where it is promoted to. */
export function locateRepository(map: PromotionMap, repository: string): MappedRepository | undefined {
  for (const [service, envs] of Object.entries(map.services)) {
    const env = PROMOTION_ORDER.find((e) => envs[e] === repository);
    if (!env) continue;
    const later = PROMOTION_ORDER.slice(PROMOTION_ORDER.indexOf(env) + 1).find((e) => envs[e]);
    return {
      service,
      env,
      ...(later ? { next: { env: later, repository: envs[later] as string } } : {}),
    };
  }
  return undefined;
}

/** A service's repository in an environment. */
export function serviceRepository(map: PromotionMap, service: string, env: EnvName): string {
  const envs = map.services[service];
  if (!envs)
    throw new ImageError(
      'NOT_RECORDED',
      `${map.file} has no service ${service} (it lists ${Object.keys(map.services).join(', ')})`,
    );
  const repository = envs[env];
  if (!repository)
    throw new ImageError('NOT_RECORDED', `${map.file}: service ${service} has no repository in ${env}`);
  return repository;
}
