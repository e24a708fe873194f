// Scanner outputs shaped like the real tools' (field names and nesting as they print them),
// produced here rather than copied from anywhere.

export interface Vuln {
  readonly id: string;
  readonly pkg: string;
  readonly version: string;
  readonly severity: string;
  readonly fixed?: string;
  readonly score?: number;
  readonly related?: readonly string[];
}

/** Log4Shell in log4j-core, as the gate tests use it. */
export const LOG4J: Vuln = {
  id: 'CVE-2021-44228',
  pkg: 'log4j-core',
  version: '2.14.1',
  severity: 'Critical',
  fixed: '2.15.0',
};

export function grypeJson(vulns: readonly Vuln[]): string {
  return JSON.stringify({
    matches: vulns.map((v) => ({
      vulnerability: {
        id: v.id,
        dataSource: `https://nvd.nist.gov/vuln/detail/${v.id}`,
        severity: v.severity,
        description: `${v.id} in ${v.pkg}`,
        cvss: v.score
          ? [
              {
                version: '3.1',
                vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
                metrics: { baseScore: v.score },
              },
            ]
          : [],
        fix: { versions: v.fixed ? [v.fixed] : [], state: v.fixed ? 'fixed' : 'not-fixed' },
      },
      relatedVulnerabilities: (v.related ?? []).map((id) => ({ id })),
      artifact: {
        name: v.pkg,
        version: v.version,
        type: 'java-archive',
        purl: `pkg:maven/org.apache.logging.log4j/${v.pkg}@${v.version}`,
      },
    })),
    source: { type: 'image', target: { userInput: 'app:1.0' } },
    descriptor: { name: 'grype', version: '0.80.0' },
  });
}

export function trivyJson(targets: Readonly<Record<string, readonly Vuln[]>>): string {
  return JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: 'app:1.0',
    ArtifactType: 'container_image',
    Results: Object.entries(targets).map(([target, vulns]) => ({
      Target: target,
      Class: 'lang-pkgs',
      Type: 'npm',
      Vulnerabilities: vulns.map((v) => ({
        VulnerabilityID: v.id,
        PkgName: v.pkg,
        PkgIdentifier: { PURL: `pkg:npm/${v.pkg}@${v.version}` },
        InstalledVersion: v.version,
        ...(v.fixed ? { FixedVersion: v.fixed } : {}),
        Severity: v.severity,
        Title: `${v.id} in ${v.pkg}`,
        ...(v.score
          ? { CVSS: { nvd: { V3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', V3Score: v.score } } }
          : {}),
      })),
    })),
  });
}

export function sarifJson(
  results: readonly {
    rule: string;
    securitySeverity?: string;
    level?: string;
    pkg: string;
    version: string;
  }[],
): string {
  return JSON.stringify({
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'scanner',
            rules: results.map((r) => ({
              id: r.rule,
              shortDescription: { text: r.rule },
              ...(r.securitySeverity ? { properties: { 'security-severity': r.securitySeverity } } : {}),
              ...(r.level ? { defaultConfiguration: { level: r.level } } : {}),
            })),
          },
        },
        results: results.map((r) => ({
          ruleId: r.rule,
          message: { text: `${r.rule} in ${r.pkg}@${r.version}` },
          properties: { packageName: r.pkg, packageVersion: r.version },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'package-lock.json' } } }],
        })),
      },
    ],
  });
}

export function npmAuditJson(
  vulns: readonly { pkg: string; ghsa: string; severity: string; range: string; fix?: string }[],
): string {
  return JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities: Object.fromEntries(
      vulns.map((v) => [
        v.pkg,
        {
          name: v.pkg,
          severity: v.severity,
          isDirect: true,
          via: [
            {
              source: 1096,
              name: v.pkg,
              dependency: v.pkg,
              title: `Problem in ${v.pkg}`,
              url: `https://github.com/advisories/${v.ghsa}`,
              severity: v.severity,
              cvss: { score: 9.8, vectorString: 'CVSS:3.1/AV:N' },
              range: v.range,
            },
          ],
          effects: [],
          range: v.range,
          nodes: [`node_modules/${v.pkg}`],
          fixAvailable: v.fix ? { name: v.pkg, version: v.fix, isSemVerMajor: false } : false,
        },
      ]),
    ),
    metadata: { vulnerabilities: { critical: vulns.length } },
  });
}

export function vexJson(
  statements: readonly { id: string; purl: string; state: string; justification?: string }[],
): string {
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    components: statements.map((s, i) => ({
      'bom-ref': `c${i}`,
      type: 'library',
      name: s.purl.split('/').pop(),
      purl: s.purl,
    })),
    vulnerabilities: statements.map((s, i) => ({
      id: s.id,
      analysis: {
        state: s.state,
        ...(s.justification ? { justification: s.justification, detail: 'not reachable from our code' } : {}),
      },
      affects: [{ ref: `c${i}` }],
    })),
  });
}
