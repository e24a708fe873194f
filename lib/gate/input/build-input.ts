import type { EnvName, ResolvedProfile } from '../../plan/index.js';
import { applySuppressions, dedupeFindings } from '../findings/dedupe.js';
import {
  type Finding,
  type FindingSeverity,
  type FindingSource,
  normalizeSeverity,
  type Suppression,
  severityRank,
} from '../findings/finding.js';
import { PROVENANCE_WAIVER, type Waiver, waiverCovers, waiverInvalidity } from '../waivers/waiver.js';
import type { CheckResult, GateFinding, GateInput, GateWaiver } from './gate-input.js';

/** What a gate is asked to decide, before waivers and VEX are applied. */
export interface GateRequest {
  readonly env: EnvName;
  readonly profile: Pick<
    ResolvedProfile,
    'max_severity' | 'require_sbom' | 'require_signature' | 'require_provenance' | 'allow_waivers'
  >;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly subject?: { readonly name?: string; readonly digest?: string };
  readonly sbom?: {
    readonly format: string;
    readonly specVersion: string;
    readonly components: number;
    readonly files: readonly string[];
  };
  readonly findings: readonly Finding[];
  /** The scanners whose reports were read (default: those the findings name). */
  readonly scanners?: readonly FindingSource[];
  readonly suppressions?: readonly Suppression[];
  readonly waivers?: readonly Waiver[];
  readonly signatures?: CheckResult;
  readonly provenance?: CheckResult;
  readonly now: Date;
}

const NOT_COLLECTED: CheckResult = {
  status: 'not-collected',
  detail: 'not collected here: the pipeline gate verifies the bundles of the artifacts before it',
};

/**
 * The gate's input: findings from every scanner deduplicated, VEX `not_affected` statements
 * applied, and each remaining finding marked with the valid waiver that covers it (when the
 * profile allows waivers). Waiver validity is decided here, at decision time.
 */
export function buildGateInput(request: GateRequest): GateInput {
  const { active, suppressed } = applySuppressions(
    dedupeFindings(request.findings),
    request.suppressions ?? [],
  );
  const valid = new Map<string, string>();
  for (const waiver of request.waivers ?? []) {
    valid.set(
      waiver.id,
      request.profile.allow_waivers
        ? (waiverInvalidity(waiver, request.env, request.now) ?? '')
        : `waivers are not allowed in the ${request.env} profile`,
    );
  }
  const usable = (request.waivers ?? []).filter((w) => valid.get(w.id) === '');
  const byVulnerability = new Map<string, Waiver[]>();
  for (const waiver of usable) {
    const list = byVulnerability.get(waiver.vulnerability) ?? [];
    list.push(waiver);
    byVulnerability.set(waiver.vulnerability, list);
  }
  const used = new Map<string, number>();
  const digest = request.subject?.digest;
  const findings = active.map((finding): GateFinding => {
    const candidates = [finding.id, ...finding.aliases, '*'].flatMap((id) => byVulnerability.get(id) ?? []);
    const waiver = candidates.find((w) => waiverCovers(w, finding, digest));
    if (waiver) used.set(waiver.id, (used.get(waiver.id) ?? 0) + 1);
    return gateFinding(finding, waiver?.id ?? '');
  });
  const waivers = (request.waivers ?? []).map(
    (w): GateWaiver => ({
      id: w.id,
      vulnerability: w.vulnerability,
      component: w.component ?? '',
      digest: w.digest ?? '',
      env: w.env ?? '',
      owner: w.owner,
      approved_by: w.approvedBy ?? '',
      reason: w.reason,
      expires_at: w.expiresAt,
      origin: w.origin,
      valid: valid.get(w.id) === '',
      invalid_because: valid.get(w.id) ?? '',
      used: used.get(w.id) ?? 0,
    }),
  );
  const maxSeverity = normalizeSeverity(request.profile.max_severity) as FindingSeverity;
  return {
    version: 'mc.gate-input/v1',
    env: request.env,
    profile: {
      max_severity: maxSeverity,
      max_severity_rank: severityRank(maxSeverity),
      require_sbom: request.profile.require_sbom,
      require_signature: request.profile.require_signature,
      require_provenance: request.profile.require_provenance,
      allow_waivers: request.profile.allow_waivers,
    },
    annotations: request.annotations ?? {},
    subject: { name: request.subject?.name ?? '', digest: digest ?? '' },
    sbom: request.sbom
      ? {
          present: true,
          format: request.sbom.format,
          spec_version: request.sbom.specVersion,
          components: request.sbom.components,
          files: request.sbom.files,
        }
      : { present: false, format: '', spec_version: '', components: 0, files: [] },
    scanners: request.scanners ?? [...new Set(request.findings.map((f) => f.source))],
    findings,
    suppressed: suppressed.map(({ finding, by }) => ({
      id: finding.id,
      component: finding.component.purl ?? finding.component.name,
      severity: finding.severity,
      justification: by.justification ?? '',
      detail: by.detail ?? '',
    })),
    waivers,
    signatures: request.signatures ?? NOT_COLLECTED,
    provenance: request.provenance ?? NOT_COLLECTED,
    // Scoped like any waiver: one naming an artifact covers only that artifact.
    provenance_waived: usable.some(
      (w) => w.vulnerability === PROVENANCE_WAIVER && !w.component && (!w.digest || w.digest === digest),
    ),
  };
}

function gateFinding(finding: Finding, waiver: string): GateFinding {
  return {
    id: finding.id,
    aliases: finding.aliases,
    severity: finding.severity,
    severity_rank: severityRank(finding.severity),
    cvss_score: finding.cvss?.score ?? 0,
    component: {
      name: finding.component.name,
      version: finding.component.version ?? '',
      purl: finding.component.purl ?? '',
      digest: finding.component.digest ?? '',
    },
    fixed_version: finding.fixedVersion ?? '',
    source: finding.source,
    title: finding.title ?? '',
    waived: waiver !== '',
    waiver,
  };
}
