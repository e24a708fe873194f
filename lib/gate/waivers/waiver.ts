import type { EnvName } from '../../plan/index.js';
import { matchesComponent } from '../findings/dedupe.js';
import type { Finding } from '../findings/finding.js';

/** The waiver id a missing provenance is waived under (dev only, with the annotation). */
export const PROVENANCE_WAIVER = 'MC-PROVENANCE';

/** A waiver file entry without a vulnerability covers every finding of the artifact (digest) it names. */
export const ANY_VULNERABILITY = '*';

/** An exception to the policy: one vulnerability, for what it names, for a limited time. */
export interface Waiver {
  readonly id: string;
  /** A vulnerability id (CVE-…, GHSA-…; aliases match too), or MC-PROVENANCE. */
  readonly vulnerability: string;
  /** The component it covers (a purl; without a version it covers every version). */
  readonly component?: string;
  /** The artifact it covers (`sha256:<hex>`): findings in that image or file. */
  readonly digest?: string;
  /** Only this environment; every environment when absent. */
  readonly env?: EnvName;
  readonly reason: string;
  readonly owner: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly approvedBy?: string;
  readonly approvedAt?: string;
  readonly revokedBy?: string;
  readonly revokedAt?: string;
  /** Where it was recorded: the project's store (`mc waiver add`) or a waivers file. */
  readonly origin: 'store' | 'file';
}

/** How far a waiver's creation time may be ahead of this clock (another machine's clock). */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Why a waiver does not apply now, or undefined when it does. */
export function waiverInvalidity(waiver: Waiver, env: EnvName, now: Date): string | undefined {
  if (waiver.revokedAt) return `revoked by ${waiver.revokedBy ?? 'someone'} at ${waiver.revokedAt}`;
  const created = Date.parse(waiver.createdAt);
  const expires = Date.parse(waiver.expiresAt);
  // Times that do not parse make a waiver that never expires or starts: fail closed.
  if (Number.isNaN(created) || Number.isNaN(expires)) return 'its creation or expiry time is malformed';
  if (created > now.getTime() + CLOCK_SKEW_MS) return `not valid before ${waiver.createdAt}`;
  if (expires <= now.getTime()) return `expired at ${waiver.expiresAt}`;
  if (waiver.env && waiver.env !== env) return `for ${waiver.env} only`;
  if (env === 'prod') {
    if (!waiver.approvedBy) return 'not approved (prod needs a second person to approve)';
    if (samePerson(waiver.approvedBy, waiver.owner))
      return 'approved by its own owner (prod needs a second person)';
  }
  return undefined;
}

/** Whether `waiver` names this finding: its vulnerability (or an alias), and its component or artifact. */
export function waiverCovers(waiver: Waiver, finding: Finding, subjectDigest?: string): boolean {
  const anyVulnerability = waiver.vulnerability === ANY_VULNERABILITY && waiver.digest !== undefined;
  if (
    !anyVulnerability &&
    waiver.vulnerability !== finding.id &&
    !finding.aliases.includes(waiver.vulnerability)
  )
    return false;
  if (waiver.component && !matchesComponent(finding, waiver.component)) return false;
  if (waiver.digest && waiver.digest !== finding.component.digest && waiver.digest !== subjectDigest)
    return false;
  return true;
}

/** `Ana` and ` ana` are the same person as `ana`: an owner cannot approve under another spelling. */
export function samePerson(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
