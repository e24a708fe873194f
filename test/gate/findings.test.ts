import { describe, expect, it } from 'vitest';
import {
  applySuppressions,
  dedupeFindings,
  type Finding,
  GateError,
  matchesComponent,
  parseFindingsFile,
} from '../../lib/gate/index.js';
import { grypeJson, npmAuditJson, sarifJson, trivyJson, vexJson } from '../support/scanner-outputs.js';

const LOG4J = {
  id: 'CVE-2021-44228',
  pkg: 'log4j-core',
  version: '2.14.1',
  fixed: '2.15.0',
  score: 10,
  severity: 'Critical',
};

describe('findings parsers', () => {
  it('reads grype, with its capitalised severities and related ids', () => {
    const { format, findings } = parseFindingsFile(
      'g.json',
      grypeJson([{ ...LOG4J, related: ['GHSA-jfh8-c2jp-5v3q'] }]),
    );
    expect(format).toBe('grype');
    expect(findings).toEqual([
      {
        id: 'CVE-2021-44228',
        aliases: ['GHSA-jfh8-c2jp-5v3q'],
        severity: 'CRITICAL',
        cvss: { score: 10, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
        component: {
          name: 'log4j-core',
          version: '2.14.1',
          purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
        },
        fixedVersion: '2.15.0',
        source: 'grype',
        title: 'CVE-2021-44228 in log4j-core',
      },
    ]);
  });

  it('reads trivy, across its per-target results', () => {
    const { findings } = parseFindingsFile(
      't.json',
      trivyJson({
        'app/package-lock.json': [{ id: 'CVE-2022-1', pkg: 'a', version: '1.0.0', severity: 'HIGH' }],
        'web/package-lock.json': [
          { id: 'CVE-2022-2', pkg: 'b', version: '2.0.0', severity: 'LOW', fixed: '2.0.1' },
        ],
      }),
    );
    expect(findings.map((f) => [f.id, f.severity, f.component.purl, f.fixedVersion])).toEqual([
      ['CVE-2022-1', 'HIGH', 'pkg:npm/a@1.0.0', undefined],
      ['CVE-2022-2', 'LOW', 'pkg:npm/b@2.0.0', '2.0.1'],
    ]);
  });

  it('reads SARIF, taking severity from the rule security-severity score, else from the level', () => {
    const { findings } = parseFindingsFile(
      's.sarif',
      sarifJson([
        { rule: 'CVE-2023-9', securitySeverity: '9.8', pkg: 'x', version: '1' },
        { rule: 'CVE-2023-5', securitySeverity: '5.3', pkg: 'y', version: '2' },
        { rule: 'weak-hash', level: 'error', pkg: 'z', version: '3' },
      ]),
    );
    expect(findings.map((f) => [f.id, f.severity, f.cvss?.score])).toEqual([
      ['CVE-2023-9', 'CRITICAL', 9.8],
      ['CVE-2023-5', 'MEDIUM', 5.3],
      ['weak-hash', 'HIGH', undefined],
    ]);
  });

  it('reads npm audit --json, with GHSA ids and the fix', () => {
    const { findings } = parseFindingsFile(
      'a.json',
      npmAuditJson([
        { pkg: 'minimist', ghsa: 'GHSA-xvch-5gv4-984h', severity: 'critical', range: '<0.2.4', fix: '1.2.8' },
      ]),
    );
    expect(findings).toMatchObject([
      {
        id: 'GHSA-xvch-5gv4-984h',
        severity: 'CRITICAL',
        component: { name: 'minimist', purl: 'pkg:npm/minimist' },
        fixedVersion: '1.2.8',
        source: 'npm-audit',
      },
    ]);
  });

  it('names the file and the formats it expected when it cannot read one', () => {
    expect(() => parseFindingsFile('x.json', '{"hello": 1}')).toThrow(GateError);
    expect(() => parseFindingsFile('x.json', '{"hello": 1}')).toThrow(
      /^x\.json: not a findings format mc reads; expected grype JSON/,
    );
    expect(() => parseFindingsFile('broken.json', '{"matches": [')).toThrow(/^broken\.json: not JSON/);
  });

  it('handles a 50 MB findings file', () => {
    const many = Array.from({ length: 190_000 }, (_, i) => ({
      id: `CVE-2024-${i}`,
      pkg: `pkg-${i % 5000}`,
      version: '1.0.0',
      severity: 'MEDIUM',
      score: 5.5,
    }));
    const text = trivyJson({ 'big/package-lock.json': many });
    expect(text.length).toBeGreaterThan(50 * 1024 * 1024);
    expect(parseFindingsFile('big.json', text).findings).toHaveLength(190_000);
  });
});

describe('combining findings', () => {
  it('counts the same vulnerability from two scanners once, keeping the most severe report', () => {
    const fromGrype = parseFindingsFile('g', grypeJson([{ ...LOG4J, severity: 'High' }])).findings;
    const fromTrivy = parseFindingsFile(
      't',
      trivyJson({ app: [{ ...LOG4J, severity: 'CRITICAL' }] }),
    ).findings;
    const merged = dedupeFindings([...fromGrype, ...fromTrivy]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ id: 'CVE-2021-44228', severity: 'CRITICAL', source: 'trivy' });
  });

  it('treats a GHSA alias of a CVE in the same component as the same finding', () => {
    const a: Finding = {
      id: 'GHSA-1',
      aliases: ['CVE-1'],
      severity: 'HIGH',
      component: { name: 'p', version: '1' },
      source: 'grype',
    };
    const b: Finding = {
      id: 'CVE-1',
      aliases: [],
      severity: 'HIGH',
      component: { name: 'p', version: '1' },
      source: 'trivy',
    };
    const c: Finding = { ...b, component: { name: 'q', version: '1' } };
    expect(dedupeFindings([a, b, c])).toHaveLength(2);
  });

  it('suppresses what a VEX not_affected statement names, with its justification, even when HIGH', () => {
    const findings = parseFindingsFile(
      't',
      trivyJson({
        app: [
          { id: 'CVE-2024-1', pkg: 'lib', version: '1.0.0', severity: 'HIGH' },
          { id: 'CVE-2024-2', pkg: 'lib', version: '1.0.0', severity: 'HIGH' },
        ],
      }),
    ).findings;
    const { suppressions } = parseFindingsFile(
      'v',
      vexJson([
        {
          id: 'CVE-2024-1',
          purl: 'pkg:npm/lib@1.0.0',
          state: 'not_affected',
          justification: 'code_not_reachable',
        },
        { id: 'CVE-2024-2', purl: 'pkg:npm/lib@1.0.0', state: 'exploitable' },
      ]),
    );
    const { active, suppressed } = applySuppressions(findings, suppressions);
    expect(active.map((f) => f.id)).toEqual(['CVE-2024-2']);
    expect(suppressed).toMatchObject([
      { finding: { id: 'CVE-2024-1' }, by: { justification: 'code_not_reachable' } },
    ]);
  });

  it('does not let a VEX statement for another component suppress a finding', () => {
    const findings = parseFindingsFile(
      't',
      trivyJson({ app: [{ id: 'CVE-2024-1', pkg: 'lib', version: '1.0.0', severity: 'HIGH' }] }),
    ).findings;
    const { suppressions } = parseFindingsFile(
      'v',
      vexJson([{ id: 'CVE-2024-1', purl: 'pkg:npm/other@1.0.0', state: 'not_affected' }]),
    );
    expect(applySuppressions(findings, suppressions).active).toHaveLength(1);
  });
});

describe('component matching and npm audit merging', () => {
  it('matches scoped npm purls, encoded or not, with or without a version', () => {
    const finding = {
      id: 'CVE-1',
      aliases: [],
      severity: 'HIGH' as const,
      component: { name: '@babel/core', version: '7.0.0', purl: 'pkg:npm/%40babel/core@7.0.0' },
      source: 'grype' as const,
    };
    expect(matchesComponent(finding, 'pkg:npm/@babel/core')).toBe(true);
    expect(matchesComponent(finding, 'pkg:npm/%40babel/core@7.0.0')).toBe(true);
    expect(matchesComponent(finding, 'pkg:npm/@babel/core@7.0.1')).toBe(false);
    expect(matchesComponent(finding, 'pkg:npm/@babel/core-js')).toBe(false);
    expect(matchesComponent(finding, 'pkg:npm/%E0%A4%A')).toBe(false);
  });

  it('merges an npm audit finding (version unknown) with the same vulnerability from grype', () => {
    const grype = parseFindingsFile(
      'g',
      grypeJson([
        {
          id: 'CVE-2019-10744',
          pkg: 'lodash',
          version: '4.17.11',
          severity: 'Critical',
          related: ['GHSA-jf85-cpcp-j695'],
        },
      ]),
    ).findings;
    const audit = parseFindingsFile(
      'a',
      npmAuditJson([{ pkg: 'lodash', ghsa: 'GHSA-jf85-cpcp-j695', severity: 'critical', range: '<4.17.12' }]),
    ).findings;
    expect(audit[0].component).toEqual({ name: 'lodash', purl: 'pkg:npm/lodash' });
    const merged = dedupeFindings([...audit, ...grype]);
    expect(merged).toHaveLength(1);
    expect(merged[0].component.version).toBe('4.17.11');
    expect(new Set([merged[0].id, ...merged[0].aliases])).toEqual(
      new Set(['CVE-2019-10744', 'GHSA-jf85-cpcp-j695']),
    );
  });
});
