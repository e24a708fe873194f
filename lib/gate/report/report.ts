import type { GateInput } from '../input/gate-input.js';
import type { PolicyEvaluation, RuleOutcome } from '../policy/evaluate.js';

export type GateMode = 'enforce' | 'advisory';

/** The gate's decision, as `mc gate --json` prints it and pipelines keep it as evidence. */
export interface GateReport {
  /** The policy's verdict. In advisory mode it is reported, never enforced. */
  readonly allow: boolean;
  readonly mode: GateMode;
  /** Why the mode is advisory (the profile, or MC_ENFORCE=false). */
  readonly advisoryBecause?: string;
  readonly env: string;
  readonly policy: string;
  readonly decidedAt: string;
  readonly violations: readonly {
    readonly rule: string;
    readonly vulnerability: string;
    readonly component: string;
    readonly severity: string;
    readonly message: string;
  }[];
  readonly waived: readonly {
    readonly vulnerability: string;
    readonly component: string;
    readonly severity: string;
    readonly waiver: string;
    readonly owner: string;
    readonly approvedBy: string;
    readonly expiresAt: string;
    readonly reason: string;
  }[];
  readonly suppressed: readonly {
    readonly vulnerability: string;
    readonly component: string;
    readonly justification: string;
    readonly detail: string;
  }[];
  readonly rules: readonly RuleOutcome[];
  readonly sbom: GateInput['sbom'];
  readonly signatures: GateInput['signatures'];
  readonly provenance: GateInput['provenance'];
  readonly findings: {
    readonly total: number;
    readonly bySeverity: Readonly<Record<string, number>>;
    /** Every finding after VEX, most severe first, with what the gate made of it. */
    readonly list: readonly {
      readonly vulnerability: string;
      readonly severity: string;
      readonly component: string;
      readonly fixedVersion: string;
      readonly status: 'blocked' | 'waived' | 'allowed';
    }[];
  };
  /** Waivers that did not apply, and why (expired, unapproved in prod, revoked, another env). */
  readonly unusedWaivers: readonly { readonly id: string; readonly because: string }[];
}

/** The report of one decision: the verdict, every violation and every waiver used, with why. */
export function gateReport(
  input: GateInput,
  evaluation: PolicyEvaluation,
  options: { policy: string; mode: GateMode; advisoryBecause?: string; now: Date },
): GateReport {
  const waivers = new Map(input.waivers.map((w) => [w.id, w]));
  const blocked = new Set(
    evaluation.violations.map((v) => findingKey(v.vulnerability ?? '', v.component ?? '')),
  );
  const bySeverity: Record<string, number> = {};
  for (const f of input.findings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
  return {
    allow: evaluation.allow,
    mode: options.mode,
    ...(options.advisoryBecause ? { advisoryBecause: options.advisoryBecause } : {}),
    env: input.env,
    policy: options.policy,
    decidedAt: options.now.toISOString(),
    violations: evaluation.violations.map((v) => ({
      rule: v.rule,
      vulnerability: v.vulnerability ?? '',
      component: v.component ?? '',
      severity: v.severity,
      message: v.message,
    })),
    waived: input.findings
      .filter((f) => f.waived)
      .map((f) => {
        const w = waivers.get(f.waiver);
        return {
          vulnerability: f.id,
          component: f.component.purl || f.component.name,
          severity: f.severity,
          waiver: f.waiver,
          owner: w?.owner ?? '',
          approvedBy: w?.approved_by ?? '',
          expiresAt: w?.expires_at ?? '',
          reason: w?.reason ?? '',
        };
      }),
    suppressed: input.suppressed.map((s) => ({
      vulnerability: s.id,
      component: s.component,
      justification: s.justification,
      detail: s.detail,
    })),
    rules: evaluation.rules,
    sbom: input.sbom,
    signatures: input.signatures,
    provenance: input.provenance,
    findings: {
      total: input.findings.length,
      bySeverity,
      list: [...input.findings]
        .sort((a, b) => b.severity_rank - a.severity_rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((f) => ({
          vulnerability: f.id,
          severity: f.severity,
          component: f.component.purl || f.component.name,
          fixedVersion: f.fixed_version,
          status: f.waived
            ? 'waived'
            : blocked.has(findingKey(f.id, f.component.purl || f.component.name))
              ? 'blocked'
              : 'allowed',
        })),
    },
    unusedWaivers: input.waivers
      .filter((w) => !w.valid)
      .map((w) => ({ id: w.id, because: w.invalid_because })),
  };
}

function findingKey(vulnerability: string, component: string): string {
  return `${vulnerability}\u0000${component}`;
}
