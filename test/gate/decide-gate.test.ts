import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decideGate,
  enforcementFrom,
  type GateOptions,
  type Policy,
  parsePolicy,
  parsePolicyTests,
  runPolicyTest,
} from '../../lib/gate/index.js';
import { defaultProfile } from '../../lib/plan/index.js';
import { repoPath } from '../support/pipelines.js';
import { grypeJson, LOG4J, trivyJson, vexJson } from '../support/scanner-outputs.js';
import { waiver } from '../support/waivers.js';

const shipped = parsePolicy(
  readFileSync(repoPath('policy/supplychain.yaml'), 'utf8'),
  'policy/supplychain.yaml',
);
const now = new Date('2026-11-24T12:00:00Z');
const log4j = LOG4J;
const sbom = JSON.stringify({
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  version: 1,
  components: [{ type: 'library', name: 'log4j-core', version: '2.14.1' }],
});

function options(overrides: Partial<GateOptions> = {}): GateOptions {
  return {
    env: 'dev',
    profile: { ...defaultProfile('dev'), sbom_policy: 'enforce' },
    policy: shipped,
    waivers: [],
    enforce: true,
    now,
    ...overrides,
  };
}

describe('the gate decision', () => {
  it('passes every test shipped with the default policy', () => {
    const dir = repoPath('policy/tests');
    const files = ['log4j-no-waiver.yaml', 'waivers.yaml', 'severity.yaml', 'evidence.yaml'];
    const results = files.flatMap((f) => {
      const text = readFileSync(`${dir}/${f}`, 'utf8');
      return parsePolicyTests(text, f).map((t) => runPolicyTest(shipped, f, t));
    });
    expect(results.filter((r) => !r.passed)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(15);
  });

  it('blocks a CRITICAL finding, naming it, and lets it through under a valid waiver, naming the waiver', () => {
    const findings = [{ file: 'grype.json', text: grypeJson([log4j]) }];
    const blocked = decideGate({ sboms: [], findings }, options());
    expect(blocked.passes).toBe(false);
    expect(blocked.report.violations).toEqual([
      {
        rule: 'MC-VULN-001',
        vulnerability: 'CVE-2021-44228',
        component: expect.stringContaining('log4j-core'),
        severity: 'HIGH',
        message: 'Blocked: log4j-core CRITICAL',
      },
    ]);
    const waived = decideGate({ sboms: [], findings }, options({ waivers: [waiver()] }));
    expect(waived.passes).toBe(true);
    expect(waived.report.waived).toEqual([
      expect.objectContaining({ vulnerability: 'CVE-2021-44228', waiver: 'w-1', owner: 'ana' }),
    ]);
    expect(waived.markdown).toContain('| CVE-2021-44228 |');
  });

  it('does not apply a waiver for another component, or one that expired a second ago', () => {
    const findings = [{ file: 'grype.json', text: grypeJson([log4j]) }];
    const other = waiver({ component: 'pkg:maven/org.apache.logging.log4j/log4j-api' });
    const expired = waiver({ id: 'w-2', expiresAt: new Date(now.getTime() - 1000).toISOString() });
    const decision = decideGate({ sboms: [], findings }, options({ waivers: [other, expired] }));
    expect(decision.passes).toBe(false);
    expect(decision.report.unusedWaivers).toEqual([
      { id: 'w-2', because: `expired at ${expired.expiresAt}` },
    ]);
    // The component waiver is valid, it just does not name this component.
    expect(decision.input.waivers.find((w) => w.id === 'w-1')).toMatchObject({ valid: true, used: 0 });
  });

  it('does not apply a waiver whose times do not parse, or that starts in the future', () => {
    const findings = [{ file: 'grype.json', text: grypeJson([log4j]) }];
    const decision = decideGate(
      { sboms: [], findings },
      options({
        waivers: [
          waiver({ id: 'w-bad', expiresAt: 'soon' }),
          waiver({
            id: 'w-late',
            createdAt: '2090-01-01T00:00:00.000Z',
            expiresAt: '2090-01-08T00:00:00.000Z',
          }),
        ],
      }),
    );
    expect(decision.passes).toBe(false);
    expect(decision.report.unusedWaivers).toEqual([
      { id: 'w-bad', because: 'its creation or expiry time is malformed' },
      { id: 'w-late', because: 'not valid before 2090-01-01T00:00:00.000Z' },
    ]);
  });

  it('lets a VEX not_affected statement suppress a HIGH finding, with its justification', () => {
    // grype's artifact purl for this package, as the scanner fixture writes it.
    const purl = 'pkg:maven/org.apache.logging.log4j/minimist@1.2.5';
    const findings = [
      {
        file: 'grype.json',
        text: grypeJson([{ id: 'CVE-2021-44906', pkg: 'minimist', version: '1.2.5', severity: 'High' }]),
      },
      {
        file: 'vex.json',
        text: vexJson([
          { id: 'CVE-2021-44906', purl, state: 'not_affected', justification: 'code_not_reachable' },
        ]),
      },
    ];
    const decision = decideGate({ sboms: [], findings }, options());
    expect(decision.passes).toBe(true);
    expect(decision.report.suppressed).toEqual([
      expect.objectContaining({ vulnerability: 'CVE-2021-44906', justification: 'code_not_reachable' }),
    ]);
  });

  it('counts a vulnerability two scanners report once', () => {
    const findings = [
      { file: 'grype.json', text: grypeJson([log4j]) },
      { file: 'trivy.json', text: trivyJson({ 'app/pom.xml': [{ ...log4j, severity: 'CRITICAL' }] }) },
    ];
    const decision = decideGate({ sboms: [], findings }, options());
    expect(decision.report.findings.total).toBe(1);
    expect(decision.report.violations).toHaveLength(1);
  });

  it('blocks only unfixed findings when the policy says so', () => {
    const strict: Policy = { ...shipped, options: { ...shipped.options, block_only_unfixed: true } };
    const fixed = [{ file: 'g.json', text: grypeJson([log4j]) }];
    const unfixed = [{ file: 'g.json', text: grypeJson([{ ...log4j, fixed: undefined }]) }];
    expect(decideGate({ sboms: [], findings: fixed }, options({ policy: strict })).passes).toBe(true);
    expect(decideGate({ sboms: [], findings: unfixed }, options({ policy: strict })).passes).toBe(false);
  });

  it('is advisory when the profile says so or MC_ENFORCE=false, and says why', () => {
    const findings = [{ file: 'g.json', text: grypeJson([log4j]) }];
    const dev = decideGate({ sboms: [], findings }, options({ profile: defaultProfile('dev') }));
    expect(dev).toMatchObject({ passes: true, report: { allow: false, mode: 'advisory' } });
    expect(dev.report.advisoryBecause).toBe('the dev profile says sbom_policy: advisory');
    expect(enforcementFrom({ MC_ENFORCE: 'false' })).toBe(false);
    expect(enforcementFrom({})).toBe(true);
    const off = decideGate(
      { sboms: [], findings },
      options({ env: 'prod', profile: defaultProfile('prod'), enforce: false }),
    );
    expect(off.report.advisoryBecause).toContain('MC_ENFORCE=false');
    expect(off.markdown).toContain('Would block');
  });

  it('requires an SBOM and a scan report in staging, and reads the SBOM', () => {
    const base = options({ env: 'staging', profile: defaultProfile('staging') });
    const clean = { file: 'grype.json', text: grypeJson([]) };
    expect(decideGate({ sboms: [], findings: [] }, base).report.violations.map((v) => v.message)).toEqual([
      'Missing SBOM: the staging profile requires one',
      'No scan: the staging profile requires scanner findings (grype, trivy, SARIF or npm audit)',
    ]);
    const decision = decideGate({ sboms: [{ file: 'bom.json', text: sbom }], findings: [clean] }, base);
    expect(decision.passes).toBe(true);
    expect(decision.report.sbom).toMatchObject({ present: true, format: 'cyclonedx', components: 1 });
    expect(decision.input.scanners).toEqual(['grype']);
  });

  it('counts a rule that cannot be evaluated as a violation (fail closed)', () => {
    const broken = parsePolicy(
      `apiVersion: policy.maestro.dev/v1
kind: SupplyChainPolicy
metadata: {name: broken}
rules:
  - id: X-MISSING-1
    severity: HIGH
    for_each: findings
    deny: finding.no_such_field > 1
    message: never
    explanation: reads a field that does not exist
  - id: X-NOTBOOL-1
    severity: LOW
    deny: input.env
    message: never
    explanation: gives a string
`,
      'broken.yaml',
    );
    const decision = decideGate(
      { sboms: [], findings: [{ file: 'g.json', text: grypeJson([log4j]) }] },
      options({ policy: broken }),
    );
    expect(decision.passes).toBe(false);
    expect(decision.report.violations.map((v) => v.message)).toEqual([
      expect.stringMatching(
        /^rule X-MISSING-1 could not be evaluated: .*no_such_field.*; counted as a violation$/,
      ),
      'rule X-NOTBOOL-1 gave dev, not true or false; counted as a violation',
    ]);
  });

  it('refuses a policy with unknown fields or CEL that does not compile, naming the rule', () => {
    const head = 'apiVersion: policy.maestro.dev/v1\nkind: SupplyChainPolicy\nmetadata: {name: p}\nrules:\n';
    expect(() =>
      parsePolicy(
        `${head}  - {id: A-B, severity: HIGH, deny: "true", message: m, explanation: e, colour: red}\n`,
        'p.yaml',
      ),
    ).toThrow(/p\.yaml: not a SupplyChainPolicy: \/rules\/0 must NOT have additional properties \(colour\)/);
    expect(() =>
      parsePolicy(
        `${head}  - {id: A-B, severity: HIGH, deny: "input.env ==", message: m, explanation: e}\n`,
        'p.yaml',
      ),
    ).toThrow(/p\.yaml: rule A-B: invalid CEL "input\.env =="/);
  });
});
