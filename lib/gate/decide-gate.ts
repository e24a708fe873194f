import type { EnvName, ResolvedProfile } from '../plan/index.js';
import { readSbom } from '../sbom/read/read.js';
import { validateSbom } from '../sbom/validate/validate.js';
import { GateError } from './errors.js';
import type { Finding, FindingSource, Suppression } from './findings/finding.js';
import { parseFindingsFile } from './findings/parsers.js';
import { buildGateInput, type CheckResult, type GateInput } from './input/index.js';
import { evaluatePolicy, type Policy } from './policy/index.js';
import { type GateMode, type GateReport, gateMarkdown, gateReport } from './report/index.js';
import type { Waiver } from './waivers/index.js';

/** A file the gate reads, by name (for messages) and content. */
export interface GateFile {
  readonly file: string;
  readonly text: string;
}

export interface GateOptions {
  readonly env: EnvName;
  readonly profile: Pick<
    ResolvedProfile,
    | 'max_severity'
    | 'require_sbom'
    | 'require_signature'
    | 'require_provenance'
    | 'allow_waivers'
    | 'sbom_policy'
  >;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly policy: Policy;
  readonly waivers: readonly Waiver[];
  /** False when MC_ENFORCE=false: every gate is advisory, and the report says so. */
  readonly enforce: boolean;
  readonly subject?: { readonly name?: string; readonly digest?: string };
  readonly signatures?: CheckResult;
  readonly provenance?: CheckResult;
  readonly now: Date;
}

export interface GateDecision {
  readonly input: GateInput;
  readonly report: GateReport;
  readonly markdown: string;
  /** The run may go on: allowed, or advisory. */
  readonly passes: boolean;
}

/**
 * The one code path of every gate (`mc gate` and the pipeline's gate action): read the SBOMs and
 * findings, apply VEX and waivers, evaluate the policy, report. Pure: it is handed the files'
 * contents and the waivers.
 */
export function decideGate(
  files: { sboms: readonly GateFile[]; findings: readonly GateFile[] },
  options: GateOptions,
): GateDecision {
  const sboms = files.sboms.map((f) => ({ file: f.file, sbom: readSbom(f.text, f.file) }));
  const findings: Finding[] = [];
  const suppressions: Suppression[] = [];
  const scanners: FindingSource[] = [];
  for (const f of files.findings) {
    const parsed = parseFindingsFile(f.file, f.text);
    findings.push(...parsed.findings);
    suppressions.push(...parsed.suppressions);
    if (parsed.format !== 'cyclonedx-vex' && !scanners.includes(parsed.format)) scanners.push(parsed.format);
  }
  const input = buildGateInput({
    env: options.env,
    profile: options.profile,
    ...(options.annotations ? { annotations: options.annotations } : {}),
    subject: {
      name: options.subject?.name ?? sboms[0]?.sbom.subject?.name ?? '',
      ...(options.subject?.digest ? { digest: options.subject.digest } : {}),
    },
    ...(sboms.length
      ? {
          sbom: {
            format: sboms[0].sbom.format,
            specVersion: sboms[0].sbom.specVersion,
            components: sboms.reduce((sum, s) => sum + s.sbom.components.length, 0),
            files: sboms.map((s) => s.file),
          },
        }
      : {}),
    findings,
    scanners,
    suppressions,
    waivers: options.waivers,
    ...(options.signatures ? { signatures: options.signatures } : {}),
    ...(options.provenance ? { provenance: options.provenance } : {}),
    now: options.now,
  });
  const evaluation = evaluatePolicy(options.policy, input);
  const { mode, because } = gateMode(options);
  const report = gateReport(input, evaluation, {
    policy: options.policy.metadata.name,
    mode,
    ...(because ? { advisoryBecause: because } : {}),
    now: options.now,
  });
  return { input, report, markdown: gateMarkdown(report), passes: report.allow || mode === 'advisory' };
}

function gateMode(options: GateOptions): { mode: GateMode; because?: string } {
  if (!options.enforce) return { mode: 'advisory', because: 'MC_ENFORCE=false turns every gate advisory' };
  if (options.profile.sbom_policy === 'advisory' || options.profile.sbom_policy === 'off')
    return {
      mode: 'advisory',
      because: `the ${options.env} profile says sbom_policy: ${options.profile.sbom_policy}`,
    };
  return { mode: 'enforce' };
}

/** MC_ENFORCE=false (or 0, no, off) makes gates advisory; anything else enforces. */
export function enforcementFrom(env: Readonly<Record<string, string | undefined>>): boolean {
  return !/^(false|0|no|off)$/i.test(env.MC_ENFORCE ?? '');
}

/**
 * Every SBOM a gate is given must be valid (CycloneDX against its official schema, SPDX 2.3 by
 * its required fields): a broken one would otherwise count as an SBOM. Run before decideGate.
 */
export async function checkGateSboms(sboms: readonly GateFile[]): Promise<void> {
  for (const sbom of sboms) {
    const result = await validateSbom(sbom.text, sbom.file);
    if (!result.valid)
      throw new GateError(
        'BROKEN_FILE',
        `${sbom.file}: not a valid SBOM: ${result.errors.slice(0, 3).join('; ')}${result.errors.length > 3 ? '; …' : ''}`,
      );
  }
}
