import { randomBytes } from 'node:crypto';
import type { EvidenceStore } from '../../evidence/index.js';
import type { EnvName } from '../../plan/index.js';
import type { WaiverStore } from '../../state/index.js';
import { WaiverError } from './errors.js';
import { checkTtl, parseTtl } from './ttl.js';
import { samePerson, type Waiver, waiverInvalidity } from './waiver.js';

/** What the waiver workflow is handed: the store, the evidence (for the audit trail), a clock. */
export interface WaiverDeps {
  readonly waivers: WaiverStore;
  readonly evidence: EvidenceStore;
  readonly now: () => Date;
}

export interface NewWaiver {
  readonly vulnerability: string;
  readonly component?: string;
  readonly digest?: string;
  readonly env?: EnvName;
  readonly ttl: string;
  readonly reason: string;
  readonly owner: string;
}

/** Where the audit events of a waiver are kept, each written once. */
export function waiverAuditPrefix(id: string): string {
  return `waivers/${id}/`;
}

/** `mc waiver add`: records a waiver (TTL within the maximum, never clamped) and its audit event. */
export async function addWaiver(
  deps: WaiverDeps,
  request: NewWaiver,
  maxTtlSeconds: number,
): Promise<Waiver> {
  const seconds = parseTtl(request.ttl);
  checkTtl(seconds, maxTtlSeconds, `a waiver of ${request.ttl}`);
  if (!/^[A-Za-z][\w.:-]*$/.test(request.vulnerability))
    throw new WaiverError(
      'BAD_INPUT',
      `--vuln ${request.vulnerability}: name one vulnerability (CVE-…, GHSA-…) or MC-PROVENANCE`,
    );
  if (!request.reason.trim()) throw new WaiverError('BAD_INPUT', 'a waiver needs a reason');
  if (!request.owner.trim()) throw new WaiverError('BAD_INPUT', 'a waiver needs an owner');
  if (request.component && request.digest)
    throw new WaiverError(
      'BAD_INPUT',
      'name either a component (--component) or an artifact (--digest), not both',
    );
  if (request.digest && !/^sha256:[0-9a-f]{64}$/.test(request.digest))
    throw new WaiverError('BAD_INPUT', `--digest must be sha256:<64 hex digits>, not ${request.digest}`);
  if (request.component && !request.component.startsWith('pkg:'))
    throw new WaiverError(
      'BAD_INPUT',
      `--component must be a package URL (pkg:npm/name@version), not ${request.component}`,
    );
  const now = deps.now();
  const waiver: Waiver = {
    id: `w-${randomBytes(4).toString('hex')}`,
    vulnerability: request.vulnerability,
    ...(request.component ? { component: request.component } : {}),
    ...(request.digest ? { digest: request.digest } : {}),
    ...(request.env ? { env: request.env } : {}),
    reason: request.reason,
    owner: request.owner,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + seconds * 1000).toISOString(),
    origin: 'store',
  };
  if (!(await deps.waivers.add(waiver)))
    throw new WaiverError('EXISTS', `waiver ${waiver.id} exists already`);
  await audit(deps, waiver.id, 'added', { by: waiver.owner, waiver });
  return waiver;
}

/** `mc waiver approve`: a second person approves; the owner cannot approve their own waiver. */
export async function approveWaiver(deps: WaiverDeps, id: string, by: string): Promise<Waiver> {
  const at = deps.now().toISOString();
  // Checked here as well as by the store's condition, which compares spellings exactly.
  const current = await deps.waivers.get(id);
  if (current && samePerson(current.owner, by))
    throw new WaiverError('SELF_APPROVAL', `${by} owns waiver ${id}; someone else must approve it`);
  if (!(await deps.waivers.approve(id, by, at))) {
    const waiver = await deps.waivers.get(id);
    if (!waiver) throw new WaiverError('NOT_FOUND', `no waiver ${id}; see mc waiver list --all`);
    if (waiver.revokedAt) throw new WaiverError('REVOKED', `waiver ${id} was revoked at ${waiver.revokedAt}`);
    if (waiver.approvedBy)
      throw new WaiverError(
        'ALREADY_APPROVED',
        `waiver ${id} was approved by ${waiver.approvedBy} at ${waiver.approvedAt}`,
      );
    throw new WaiverError('SELF_APPROVAL', `${by} owns waiver ${id}; someone else must approve it`);
  }
  const waiver = (await deps.waivers.get(id)) as Waiver;
  await audit(deps, id, 'approved', { by, waiver });
  return waiver;
}

/** `mc waiver revoke`: ends a waiver now, recorded with who did it. */
export async function revokeWaiver(deps: WaiverDeps, id: string, by: string): Promise<Waiver> {
  if (!(await deps.waivers.revoke(id, by, deps.now().toISOString()))) {
    const waiver = await deps.waivers.get(id);
    if (!waiver) throw new WaiverError('NOT_FOUND', `no waiver ${id}; see mc waiver list --all`);
    throw new WaiverError('REVOKED', `waiver ${id} was revoked already at ${waiver.revokedAt}`);
  }
  const waiver = (await deps.waivers.get(id)) as Waiver;
  await audit(deps, id, 'revoked', { by, waiver });
  return waiver;
}

/** `mc waiver list`: the waivers that apply somewhere now, or all of them, each with its state. */
export async function listWaivers(
  deps: WaiverDeps,
  all: boolean,
): Promise<{ waiver: Waiver; state: string }[]> {
  const now = deps.now();
  return (await deps.waivers.list())
    .map((waiver) => ({ waiver, state: waiverState(waiver, now) }))
    .filter((w) => all || w.state === 'active' || w.state === 'awaiting approval')
    .sort((a, b) => a.waiver.createdAt.localeCompare(b.waiver.createdAt));
}

function waiverState(waiver: Waiver, now: Date): string {
  if (waiver.revokedAt) return 'revoked';
  if (Date.parse(waiver.expiresAt) <= now.getTime()) return 'expired';
  // Valid in dev; prod also needs an approval by someone else.
  return waiverInvalidity(waiver, waiver.env ?? 'prod', now) ? 'awaiting approval' : 'active';
}

async function audit(
  deps: WaiverDeps,
  id: string,
  event: string,
  detail: Record<string, unknown>,
): Promise<void> {
  const at = deps.now().toISOString();
  await deps.evidence.putJsonOnce(`${waiverAuditPrefix(id)}${at}-${event}.json`, { event, at, ...detail });
}
