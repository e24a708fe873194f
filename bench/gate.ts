import { readFileSync } from 'node:fs';
import { decideGate, parsePolicy, type Waiver } from '../lib/gate/index.js';
import { packagePath } from '../lib/paths/index.js';
import { defaultProfile } from '../lib/plan/index.js';
import { measure, table } from './support.js';

// The gate over a large release: an SBOM of 10,000 components, 5,000 findings, 1,000 waivers.
export function benchGate(): string {
  const components = 10_000;
  const findings = 5_000;
  const waivers = 1_000;
  const sbom = JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    components: Array.from({ length: components }, (_, i) => ({
      type: 'library',
      'bom-ref': `pkg:npm/dep-${i}@1.0.${i % 7}`,
      name: `dep-${i}`,
      version: `1.0.${i % 7}`,
      purl: `pkg:npm/dep-${i}@1.0.${i % 7}`,
    })),
  });
  const severities = ['Critical', 'High', 'Medium', 'Low'];
  const grype = JSON.stringify({
    matches: Array.from({ length: findings }, (_, i) => ({
      vulnerability: {
        id: `CVE-2026-${10_000 + i}`,
        severity: severities[i % 4],
        fix: { versions: ['2.0.0'], state: 'fixed' },
      },
      relatedVulnerabilities: [{ id: `GHSA-${i}` }],
      artifact: {
        name: `dep-${i * 2}`,
        version: `1.0.${(i * 2) % 7}`,
        type: 'npm',
        purl: `pkg:npm/dep-${i * 2}@1.0.${(i * 2) % 7}`,
      },
    })),
    descriptor: { name: 'grype', version: '0.80.0' },
  });
  const now = new Date('2026-11-24T12:00:00Z');
  const waiverList: Waiver[] = Array.from({ length: waivers }, (_, i) => ({
    id: `w-${i}`,
    vulnerability: `CVE-2026-${10_000 + i * 4}`,
    component: `pkg:npm/dep-${i * 8}`,
    reason: 'bench',
    owner: 'ana',
    approvedBy: 'ben',
    createdAt: '2026-11-20T00:00:00.000Z',
    expiresAt: i % 10 === 0 ? '2026-11-21T00:00:00.000Z' : '2026-12-20T00:00:00.000Z',
    origin: 'store',
  }));
  const policy = parsePolicy(
    readFileSync(packagePath('policy', 'supplychain.yaml'), 'utf8'),
    'policy/supplychain.yaml',
  );
  const run = () =>
    decideGate(
      { sboms: [{ file: 'bom.json', text: sbom }], findings: [{ file: 'grype.json', text: grype }] },
      { env: 'prod', profile: defaultProfile('prod'), policy, waivers: waiverList, enforce: true, now },
    );
  // Warm-up runs compile the policy's CEL once, as a long-lived gate Lambda does.
  const decision = run();
  const { median, max } = measure(run, 9, 2);
  const row = {
    components,
    findings,
    waivers,
    violations: decision.report.violations.length,
    waived: decision.report.waived.length,
    'median ms': median.toFixed(1),
    'max ms': max.toFixed(1),
    'target ms': '< 200',
  };
  return `the gate on a large release (SBOM + grype JSON parsed, VEX/waivers applied, CEL policy, reports)\n${table([row])}`;
}
