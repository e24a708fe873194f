/** Severities, lowest first; UNKNOWN sorts below NONE so it never passes a threshold by accident. */
export const SEVERITIES = ['UNKNOWN', 'NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type FindingSeverity = (typeof SEVERITIES)[number];

export type FindingSource = 'grype' | 'trivy' | 'sarif' | 'npm-audit';

export interface Component {
  readonly name: string;
  readonly version?: string;
  readonly purl?: string;
  readonly digest?: string;
}

/** One vulnerability in one component, whatever scanner reported it. */
export interface Finding {
  /** The primary id as the scanner gave it (CVE-…, GHSA-…, a rule id for SARIF). */
  readonly id: string;
  /** Other ids of the same vulnerability (CVE for a GHSA, and back). */
  readonly aliases: readonly string[];
  readonly severity: FindingSeverity;
  readonly cvss?: { readonly score: number; readonly vector?: string };
  readonly component: Component;
  readonly fixedVersion?: string;
  readonly source: FindingSource;
  readonly title?: string;
}

/** A VEX statement that a vulnerability does not affect a component, and why. */
export interface Suppression {
  readonly id: string;
  readonly aliases: readonly string[];
  /** purl or bom-ref of the component; absent when the statement covers every component. */
  readonly component?: string;
  readonly state: 'not_affected';
  readonly justification?: string;
  readonly detail?: string;
}

export function severityRank(severity: FindingSeverity): number {
  return SEVERITIES.indexOf(severity);
}

/** A scanner's word for severity, as ours. */
export function normalizeSeverity(value: unknown): FindingSeverity {
  const text = String(value ?? '').toUpperCase();
  if (text === 'MODERATE') return 'MEDIUM';
  if (text === 'NEGLIGIBLE' || text === 'INFO') return 'NONE';
  return (SEVERITIES as readonly string[]).includes(text) ? (text as FindingSeverity) : 'UNKNOWN';
}

/** CVSS v3 base score → qualitative severity (as SARIF `security-severity` is read by GitHub). */
export function severityOfScore(score: number): FindingSeverity {
  if (!Number.isFinite(score)) return 'UNKNOWN';
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  if (score > 0) return 'LOW';
  return 'NONE';
}
