import type { EnvName, ResolvedProfile } from '../../plan/index.js';
import type { FindingSeverity, FindingSource } from '../findings/finding.js';

/** The result of a signature or provenance check, as the gate sees it. */
export interface CheckResult {
  /**
   * `not-collected`: this gate did not collect them (`mc gate` on a workstation); a profile that
   * requires them blocks on anything but `verified`.
   */
  readonly status: 'verified' | 'missing' | 'invalid' | 'not-collected';
  readonly detail: string;
}

/**
 * What the policy decides on (schema/gate-input.v1.json): every field present, so CEL rules need
 * no `has()`. Keys are snake_case, as in the policy files.
 */
export interface GateInput {
  readonly version: 'mc.gate-input/v1';
  readonly env: EnvName;
  readonly profile: {
    readonly max_severity: FindingSeverity;
    readonly max_severity_rank: number;
    readonly require_sbom: boolean;
    readonly require_signature: boolean;
    readonly require_provenance: boolean;
    readonly allow_waivers: boolean;
  };
  readonly annotations: Readonly<Record<string, string>>;
  readonly subject: { readonly name: string; readonly digest: string };
  readonly sbom: {
    readonly present: boolean;
    readonly format: string;
    readonly spec_version: string;
    readonly components: number;
    readonly files: readonly string[];
  };
  /** The scanners whose reports were given (VEX is not a scan); empty is not a clean scan. */
  readonly scanners: readonly FindingSource[];
  readonly findings: readonly GateFinding[];
  readonly suppressed: readonly GateSuppressed[];
  readonly waivers: readonly GateWaiver[];
  readonly signatures: CheckResult;
  readonly provenance: CheckResult;
  /** A valid MC-PROVENANCE waiver exists (used with the waive-provenance annotation in dev). */
  readonly provenance_waived: boolean;
}

export interface GateFinding {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly severity: FindingSeverity;
  readonly severity_rank: number;
  readonly cvss_score: number;
  readonly component: {
    readonly name: string;
    readonly version: string;
    readonly purl: string;
    readonly digest: string;
  };
  /** '' when no fixed version is known. */
  readonly fixed_version: string;
  readonly source: FindingSource | '';
  readonly title: string;
  readonly waived: boolean;
  /** The waiver that covers it, '' when none. */
  readonly waiver: string;
}

export interface GateSuppressed {
  readonly id: string;
  readonly component: string;
  readonly severity: FindingSeverity;
  readonly justification: string;
  readonly detail: string;
}

export interface GateWaiver {
  readonly id: string;
  readonly vulnerability: string;
  readonly component: string;
  readonly digest: string;
  readonly env: string;
  readonly owner: string;
  readonly approved_by: string;
  readonly reason: string;
  readonly expires_at: string;
  readonly origin: 'store' | 'file';
  readonly valid: boolean;
  /** Why it does not apply now; '' when valid. */
  readonly invalid_because: string;
  /** Findings it covered in this decision. */
  readonly used: number;
}

export type { ResolvedProfile };
