import { npmPurl } from '../../sbom/npm/purl.js';
import { GateError } from '../errors.js';
import { type Finding, normalizeSeverity, type Suppression, severityOfScore } from './finding.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** grype JSON (`grype -o json`): matches of a vulnerability to an artifact. */
export function parseGrype(doc: Json): Finding[] {
  return arr(doc.matches).map((m) => {
    const match = obj(m);
    const vuln = obj(match.vulnerability);
    const artifact = obj(match.artifact);
    const cvss = arr(vuln.cvss)
      .map(obj)
      .find((c) => typeof obj(c.metrics).baseScore === 'number');
    const related = arr(match.relatedVulnerabilities)
      .map((r) => str(obj(r).id))
      .filter((x): x is string => !!x);
    return {
      id: String(vuln.id),
      aliases: related.filter((r) => r !== vuln.id),
      severity: normalizeSeverity(vuln.severity),
      ...(cvss
        ? {
            cvss: {
              score: Number(obj(cvss.metrics).baseScore),
              ...(str(cvss.vector) ? { vector: str(cvss.vector) } : {}),
            },
          }
        : {}),
      component: component(artifact.name, artifact.version, artifact.purl),
      ...(str(arr(obj(vuln.fix).versions)[0])
        ? { fixedVersion: String(arr(obj(vuln.fix).versions)[0]) }
        : {}),
      source: 'grype' as const,
      ...(str(vuln.description) ? { title: str(vuln.description) } : {}),
    };
  });
}

/** trivy JSON (`trivy … --format json`): per-target results with their vulnerabilities. */
export function parseTrivy(doc: Json): Finding[] {
  return arr(doc.Results).flatMap((r) =>
    arr(obj(r).Vulnerabilities).map((v) => {
      const vuln = obj(v);
      const cvss = Object.values(obj(vuln.CVSS))
        .map(obj)
        .find((c) => typeof c.V3Score === 'number');
      return {
        id: String(vuln.VulnerabilityID),
        aliases: [],
        severity: normalizeSeverity(vuln.Severity),
        ...(cvss
          ? {
              cvss: {
                score: Number(cvss.V3Score),
                ...(str(cvss.V3Vector) ? { vector: str(cvss.V3Vector) } : {}),
              },
            }
          : {}),
        component: component(vuln.PkgName, vuln.InstalledVersion, obj(vuln.PkgIdentifier).PURL),
        ...(str(vuln.FixedVersion) ? { fixedVersion: str(vuln.FixedVersion) } : {}),
        source: 'trivy' as const,
        ...(str(vuln.Title) ? { title: str(vuln.Title) } : {}),
      };
    }),
  );
}

/**
 * SARIF 2.1.0: results of rules; severity from the rule's `security-severity` property (a CVSS
 * score, as GitHub reads it), else from the result level.
 */
export function parseSarif(doc: Json): Finding[] {
  return arr(doc.runs).flatMap((r) => {
    const run = obj(r);
    const rules = new Map(
      arr(obj(obj(run.tool).driver).rules).map((rule) => [String(obj(rule).id), obj(rule)]),
    );
    return arr(run.results).map((x) => {
      const result = obj(x);
      const rule = rules.get(String(result.ruleId)) ?? {};
      const score = Number.parseFloat(
        String(
          obj(rule.properties)['security-severity'] ?? obj(result.properties)['security-severity'] ?? '',
        ),
      );
      const location = obj(obj(arr(result.locations)[0]).physicalLocation);
      const props = obj(result.properties);
      return {
        id: String(result.ruleId ?? rule.id ?? 'unknown-rule'),
        aliases: [],
        severity: Number.isFinite(score)
          ? severityOfScore(score)
          : levelSeverity(result.level ?? obj(rule.defaultConfiguration).level),
        ...(Number.isFinite(score) ? { cvss: { score } } : {}),
        component: component(
          props.packageName ?? str(obj(location.artifactLocation).uri) ?? 'unknown',
          props.packageVersion,
          props.purl,
        ),
        ...(str(props.fixedVersion) ? { fixedVersion: str(props.fixedVersion) } : {}),
        source: 'sarif' as const,
        ...(str(obj(result.message).text) ? { title: str(obj(result.message).text) } : {}),
      };
    });
  });
}

/** `npm audit --json` (report version 2): advisories under each vulnerable package. */
export function parseNpmAudit(doc: Json): Finding[] {
  return Object.entries(obj(doc.vulnerabilities)).flatMap(([name, v]) => {
    const vuln = obj(v);
    return arr(vuln.via)
      .filter((via) => typeof via === 'object')
      .map((via) => {
        const advisory = obj(via);
        const ghsa = /GHSA-[\w-]+/.exec(String(advisory.url ?? ''))?.[0];
        const score = obj(advisory.cvss).score;
        return {
          id: ghsa ?? `npm-${String(advisory.source)}`,
          aliases: [],
          severity: normalizeSeverity(advisory.severity),
          ...(typeof score === 'number' && score > 0
            ? {
                cvss: {
                  score,
                  ...(str(obj(advisory.cvss).vectorString)
                    ? { vector: str(obj(advisory.cvss).vectorString) }
                    : {}),
                },
              }
            : {}),
          // npm audit names the vulnerable range, not the installed version: the version stays unknown.
          component: component(
            advisory.name ?? name,
            undefined,
            npmPurl({ name: String(advisory.name ?? name) }),
          ),
          ...(obj(vuln.fixAvailable).version ? { fixedVersion: String(obj(vuln.fixAvailable).version) } : {}),
          source: 'npm-audit' as const,
          ...(str(advisory.title) ? { title: str(advisory.title) } : {}),
        };
      });
  });
}

/** CycloneDX VEX: `not_affected` analyses suppress the findings they name. */
export function parseVex(doc: Json): Suppression[] {
  const refs = new Map(
    arr(doc.components)
      .map(obj)
      .map((c) => [String(c['bom-ref'] ?? ''), str(c.purl)]),
  );
  return arr(doc.vulnerabilities).flatMap((v) => {
    const vuln = obj(v);
    const analysis = obj(vuln.analysis);
    if (analysis.state !== 'not_affected') return [];
    const aliases = arr(vuln.references)
      .map((r) => str(obj(r).id))
      .filter((x): x is string => !!x);
    const affects = arr(vuln.affects).map((a) => String(obj(a).ref));
    const base = {
      id: String(vuln.id),
      aliases,
      state: 'not_affected' as const,
      ...(str(analysis.justification) ? { justification: str(analysis.justification) } : {}),
      ...(str(analysis.detail) ? { detail: str(analysis.detail) } : {}),
    };
    return affects.length ? affects.map((ref) => ({ ...base, component: refs.get(ref) ?? ref })) : [base];
  });
}

function component(name: unknown, version: unknown, purl: unknown) {
  return {
    name: String(name ?? 'unknown'),
    ...(str(version) ? { version: str(version) } : {}),
    ...(str(purl) ? { purl: str(purl) } : {}),
  };
}

function levelSeverity(level: unknown): Finding['severity'] {
  switch (level) {
    case 'error':
      return 'HIGH';
    case 'warning':
      return 'MEDIUM';
    case 'note':
      return 'LOW';
    default:
      return 'UNKNOWN';
  }
}

export type FindingsFormat = 'grype' | 'trivy' | 'sarif' | 'npm-audit' | 'cyclonedx-vex';

/** Which format a parsed document is in, from its shape; undefined when it is none we read. */
export function detectFormat(doc: Json): FindingsFormat | undefined {
  if (Array.isArray(doc.matches) && obj(doc.descriptor).name === 'grype') return 'grype';
  if ('SchemaVersion' in doc && Array.isArray(doc.Results)) return 'trivy';
  if (doc.version === '2.1.0' && Array.isArray(doc.runs)) return 'sarif';
  if (doc.auditReportVersion === 2 && 'vulnerabilities' in doc) return 'npm-audit';
  if (doc.bomFormat === 'CycloneDX' && Array.isArray(doc.vulnerabilities)) return 'cyclonedx-vex';
  return undefined;
}

export interface ParsedFindings {
  readonly format: FindingsFormat;
  readonly findings: readonly Finding[];
  readonly suppressions: readonly Suppression[];
}

/** Reads one findings file; an unknown or broken file is a GateError naming it. */
export function parseFindingsFile(file: string, text: string): ParsedFindings {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new GateError(
      'BROKEN_FILE',
      `${file}: not JSON (${(error as Error).message}); expected grype, trivy, SARIF 2.1.0, npm audit or CycloneDX VEX JSON`,
      { cause: error },
    );
  }
  const format = detectFormat(obj(doc));
  if (!format) {
    throw new GateError(
      'UNKNOWN_FORMAT',
      `${file}: not a findings format mc reads; expected grype JSON (matches), trivy JSON (SchemaVersion, Results), SARIF 2.1.0 (version, runs), npm audit --json (auditReportVersion 2) or CycloneDX VEX (bomFormat, vulnerabilities)`,
    );
  }
  const d = obj(doc);
  switch (format) {
    case 'grype':
      return { format, findings: parseGrype(d), suppressions: [] };
    case 'trivy':
      return { format, findings: parseTrivy(d), suppressions: [] };
    case 'sarif':
      return { format, findings: parseSarif(d), suppressions: [] };
    case 'npm-audit':
      return { format, findings: parseNpmAudit(d), suppressions: [] };
    default:
      return { format, findings: [], suppressions: parseVex(d) };
  }
}
