import { parse } from 'yaml';
import { ENVIRONMENTS, type EnvName } from '../../plan/index.js';
import { WaiverError } from './errors.js';
import { checkTtl } from './ttl.js';
import { ANY_VULNERABILITY, type Waiver } from './waiver.js';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * `policy/waivers.yaml`, for waivers kept in git: a list (or `waivers:` list) of entries in the
 * existing format — `digest`, `reason`, `created` (ISO-8601), `ttl_ns` (nanoseconds) — with the
 * optional `vulnerability`, `component`, `env`, `owner`, `approved_by` and `id`. An entry without
 * a vulnerability covers every finding of its digest. Lives longer than `maxTtlSeconds` are refused.
 */
export function parseWaiversFile(text: string, file: string, maxTtlSeconds: number): Waiver[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new WaiverError('BAD_FILE', `${file}: not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const entries = Array.isArray(doc) ? doc : (doc as { waivers?: unknown } | null)?.waivers;
  if (doc === null || doc === undefined) return [];
  if (!Array.isArray(entries))
    throw new WaiverError('BAD_FILE', `${file}: expected a list of waivers (or a "waivers:" list)`);
  return entries.map((entry, i) => fileWaiver(entry, `${file}: waivers[${i}]`, i, maxTtlSeconds));
}

function fileWaiver(entry: unknown, at: string, index: number, maxTtlSeconds: number): Waiver {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    throw new WaiverError('BAD_FILE', `${at}: expected a map with digest, reason, created and ttl_ns`);
  const e = entry as Record<string, unknown>;
  const text = (name: string, required: boolean): string | undefined => {
    const value = e[name];
    if (value === undefined || value === null) {
      if (required) throw new WaiverError('BAD_FILE', `${at}: ${name} is required`);
      return undefined;
    }
    if (typeof value !== 'string' && !(value instanceof Date) && typeof value !== 'number')
      throw new WaiverError('BAD_FILE', `${at}: ${name} must be text`);
    return value instanceof Date ? value.toISOString() : String(value);
  };
  const known = new Set([
    'digest',
    'reason',
    'created',
    'ttl_ns',
    'vulnerability',
    'component',
    'env',
    'owner',
    'approved_by',
    'id',
  ]);
  const unknown = Object.keys(e).find((k) => !known.has(k));
  if (unknown)
    throw new WaiverError('BAD_FILE', `${at}: unknown field ${unknown} (known: ${[...known].join(', ')})`);
  const digest = text('digest', false);
  if (digest !== undefined && !DIGEST.test(digest))
    throw new WaiverError('BAD_FILE', `${at}: digest must be sha256:<64 hex digits>, not ${digest}`);
  const vulnerability = text('vulnerability', false);
  if (!vulnerability && !digest)
    throw new WaiverError('BAD_FILE', `${at}: name a digest, a vulnerability, or both`);
  const created = text('created', true) as string;
  if (Number.isNaN(Date.parse(created)))
    throw new WaiverError('BAD_FILE', `${at}: created must be an ISO-8601 time, not ${created}`);
  const ttlText = text('ttl_ns', true) as string;
  if (!/^\d+$/.test(ttlText))
    throw new WaiverError('BAD_FILE', `${at}: ttl_ns must be a whole number of nanoseconds`);
  const seconds = Number(BigInt(ttlText) / 1_000_000_000n);
  checkTtl(seconds, maxTtlSeconds, at);
  const env = text('env', false);
  if (env !== undefined && !(ENVIRONMENTS as readonly string[]).includes(env))
    throw new WaiverError('BAD_FILE', `${at}: env must be one of ${ENVIRONMENTS.join(', ')}`);
  const approvedBy = text('approved_by', false);
  return {
    id: text('id', false) ?? `file-${index + 1}`,
    vulnerability: vulnerability ?? ANY_VULNERABILITY,
    ...(text('component', false) ? { component: text('component', false) } : {}),
    ...(digest ? { digest } : {}),
    ...(env ? { env: env as EnvName } : {}),
    reason: text('reason', true) as string,
    owner: text('owner', false) ?? 'waivers file',
    createdAt: new Date(created).toISOString(),
    expiresAt: new Date(Date.parse(created) + seconds * 1000).toISOString(),
    ...(approvedBy ? { approvedBy } : {}),
    origin: 'file',
  };
}
