import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  buildGateInput,
  decideGate,
  type Finding,
  type GateInput,
  type GateRequest,
  parsePolicy,
  type Waiver,
} from '../../lib/gate/index.js';
import { defaultProfile } from '../../lib/plan/index.js';
import schema from '../../schema/gate-input.v1.json' with { type: 'json' };
import { repoPath } from '../support/pipelines.js';
import { grypeJson, npmAuditJson, sarifJson, trivyJson, vexJson } from '../support/scanner-outputs.js';
import { waiver as baseWaiver } from '../support/waivers.js';

// strict: an unknown keyword or a loose type in the schema is an error of the schema itself.
const validate = new Ajv2020({ allErrors: true, strict: true }).compile<GateInput>(schema);

function problems(input: unknown): string[] {
  return validate(input)
    ? []
    : (validate.errors ?? []).map(
        (e: ErrorObject) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
      );
}

const now = new Date('2026-11-24T12:00:00Z');
const digest = `sha256:${'ab'.repeat(32)}`;

const log4j: Finding = {
  id: 'CVE-2021-44228',
  aliases: ['GHSA-jfh8-c2jp-5v3q'],
  severity: 'CRITICAL',
  cvss: { score: 10, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' },
  component: {
    name: 'log4j-core',
    version: '2.14.1',
    purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
  },
  fixedVersion: '2.15.0',
  source: 'grype',
  title: 'Apache Log4j2 JNDI features do not protect against attacker controlled LDAP',
};

const lodash: Finding = {
  id: 'GHSA-jf85-cpcp-j695',
  aliases: ['CVE-2019-10744'],
  severity: 'CRITICAL',
  cvss: { score: 9.1 },
  component: { name: 'lodash', version: '4.17.11', purl: 'pkg:npm/lodash@4.17.11' },
  fixedVersion: '4.17.12',
  source: 'npm-audit',
  title: 'Prototype Pollution in lodash',
};

// Same vulnerability as lodash, reported by trivy under its CVE: deduplicated into one finding.
const lodashByTrivy: Finding = {
  ...lodash,
  id: 'CVE-2019-10744',
  aliases: [],
  severity: 'HIGH',
  source: 'trivy',
};

// No purl, no version, no fix, no CVSS, no title: every optional field of a Finding absent.
const bare: Finding = {
  id: 'js/sql-injection',
  aliases: [],
  severity: 'UNKNOWN',
  component: { name: 'src/db.ts' },
  source: 'sarif',
};

const minimist: Finding = {
  id: 'CVE-2021-44906',
  aliases: [],
  severity: 'CRITICAL',
  component: { name: 'minimist', version: '1.2.5', purl: 'pkg:npm/minimist@1.2.5' },
  source: 'trivy',
};

function waiver(overrides: Partial<Waiver> = {}): Waiver {
  return baseWaiver({ component: 'pkg:maven/org.apache.logging.log4j/log4j-core', ...overrides });
}

function request(overrides: Partial<GateRequest> = {}): GateRequest {
  return { env: 'dev', profile: defaultProfile('dev'), findings: [], now, ...overrides };
}

const requests: Record<string, GateRequest> = {
  'nothing at all': request(),
  'findings without an SBOM, no waivers': request({ findings: [log4j, bare] }),
  'an SBOM, findings from two scanners, a valid waiver in dev': request({
    sbom: { format: 'cyclonedx', specVersion: '1.6', components: 42, files: ['bom.json'] },
    subject: { name: 'api' },
    findings: [log4j, lodash, lodashByTrivy],
    waivers: [waiver()],
  }),
  'prod: waivers unapproved, self-approved, approved, expired, revoked, for another env': request({
    env: 'prod',
    profile: defaultProfile('prod'),
    sbom: { format: 'spdx', specVersion: '2.3', components: 7, files: ['a.spdx.json', 'b.spdx.json'] },
    findings: [log4j, lodash],
    waivers: [
      waiver({ id: 'w-unapproved' }),
      waiver({ id: 'w-self', approvedBy: 'ana', approvedAt: '2026-11-21T00:00:00.000Z' }),
      waiver({
        id: 'w-approved',
        vulnerability: 'CVE-2019-10744',
        component: 'pkg:npm/lodash@4.17.11',
        approvedBy: 'ben',
        approvedAt: '2026-11-21T00:00:00.000Z',
      }),
      waiver({ id: 'w-expired', approvedBy: 'ben', expiresAt: '2026-11-24T11:59:59.000Z' }),
      waiver({ id: 'w-revoked', approvedBy: 'ben', revokedBy: 'cem', revokedAt: '2026-11-22T00:00:00.000Z' }),
      waiver({ id: 'w-staging', env: 'staging', approvedBy: 'ben' }),
    ],
  }),
  'VEX suppressions, with and without a component and a justification': request({
    env: 'staging',
    profile: defaultProfile('staging'),
    findings: [minimist, lodash, log4j],
    suppressions: [
      {
        id: 'CVE-2021-44906',
        aliases: [],
        component: 'pkg:npm/minimist',
        state: 'not_affected',
        justification: 'code_not_reachable',
        detail: 'only parses our own flags',
      },
      { id: 'CVE-2019-10744', aliases: [], state: 'not_affected' },
    ],
  }),
  'signatures and provenance present, a digest waiver from a file, annotations': request({
    env: 'prod',
    profile: { ...defaultProfile('prod'), max_severity: 'LOW' },
    annotations: { 'mc.maestro.dev/waive-provenance': 'legacy image, OPS-123', team: 'platform' },
    subject: { name: 'api', digest },
    findings: [{ ...minimist, component: { ...minimist.component, digest } }],
    waivers: [
      waiver({
        id: 'file-1',
        vulnerability: '*',
        component: undefined,
        digest,
        env: 'prod',
        owner: 'waivers file',
        approvedBy: 'ben',
        origin: 'file',
      }),
    ],
    signatures: { status: 'verified', detail: 'cosign: signed by the pipeline role' },
    provenance: { status: 'invalid', detail: 'subject digest does not match' },
  }),
  'waivers not allowed by the profile; a provenance waiver': request({
    profile: { ...defaultProfile('dev'), allow_waivers: false },
    findings: [log4j],
    waivers: [waiver(), waiver({ id: 'w-p', vulnerability: 'MC-PROVENANCE', component: undefined })],
    signatures: { status: 'missing', detail: 'no signature for dist/app.tgz' },
  }),
};

describe('schema/gate-input.v1.json', () => {
  it('is closed, requires every field it defines and describes each one, at every level', () => {
    const defs = (schema as { $defs: Record<string, { description?: string }> }).$defs;
    const described = (property: Record<string, unknown>) =>
      property.description !== undefined ||
      (typeof property.$ref === 'string' &&
        defs[property.$ref.split('/').pop() as string]?.description !== undefined);
    const walk = (node: unknown, at: string): string[] => {
      if (!node || typeof node !== 'object') return [];
      const n = node as Record<string, unknown>;
      const own: string[] = [];
      if (n.properties) {
        const properties = n.properties as Record<string, Record<string, unknown>>;
        if (n.additionalProperties !== false) own.push(`${at}: not closed`);
        const required = [...((n.required as string[] | undefined) ?? [])].sort();
        if (JSON.stringify(required) !== JSON.stringify(Object.keys(properties).sort()))
          own.push(`${at}: required is not every property`);
        for (const [key, property] of Object.entries(properties))
          if (!described(property)) own.push(`${at}/properties/${key}: no description`);
      }
      return [...own, ...Object.entries(n).flatMap(([k, v]) => walk(v, `${at}/${k}`))];
    };
    expect(walk(schema, '')).toEqual([]);
  });

  for (const [name, req] of Object.entries(requests)) {
    it(`describes the input built for: ${name}`, () => {
      expect(problems(buildGateInput(req))).toEqual([]);
    });
  }

  it('describes the inputs the requests above produce (waivers, aliases, VEX and digests really exercised)', () => {
    const prod = buildGateInput(
      requests['prod: waivers unapproved, self-approved, approved, expired, revoked, for another env'],
    );
    expect(prod.sbom).toEqual({
      present: true,
      format: 'spdx',
      spec_version: '2.3',
      components: 7,
      files: ['a.spdx.json', 'b.spdx.json'],
    });
    expect(Object.fromEntries(prod.waivers.map((w) => [w.id, [w.valid, w.invalid_because, w.used]]))).toEqual(
      {
        'w-unapproved': [false, 'not approved (prod needs a second person to approve)', 0],
        'w-self': [false, 'approved by its own owner (prod needs a second person)', 0],
        'w-approved': [true, '', 1],
        'w-expired': [false, 'expired at 2026-11-24T11:59:59.000Z', 0],
        'w-revoked': [false, 'revoked by cem at 2026-11-22T00:00:00.000Z', 0],
        'w-staging': [false, 'for staging only', 0],
      },
    );
    expect(prod.findings.map((f) => [f.id, f.waived, f.waiver])).toEqual([
      ['CVE-2021-44228', false, ''],
      ['GHSA-jf85-cpcp-j695', true, 'w-approved'],
    ]);

    const dev = buildGateInput(requests['an SBOM, findings from two scanners, a valid waiver in dev']);
    expect(dev.findings).toHaveLength(2);
    expect(dev.findings[1]).toMatchObject({
      id: 'GHSA-jf85-cpcp-j695',
      aliases: ['CVE-2019-10744'],
      severity_rank: 5,
    });

    const vex = buildGateInput(
      requests['VEX suppressions, with and without a component and a justification'],
    );
    expect(vex.findings.map((f) => f.id)).toEqual(['CVE-2021-44228']);
    expect(vex.suppressed).toEqual([
      {
        id: 'CVE-2021-44906',
        component: 'pkg:npm/minimist@1.2.5',
        severity: 'CRITICAL',
        justification: 'code_not_reachable',
        detail: 'only parses our own flags',
      },
      {
        id: 'GHSA-jf85-cpcp-j695',
        component: 'pkg:npm/lodash@4.17.11',
        severity: 'CRITICAL',
        justification: '',
        detail: '',
      },
    ]);

    const signed = buildGateInput(
      requests['signatures and provenance present, a digest waiver from a file, annotations'],
    );
    expect(signed.findings[0]).toMatchObject({ waived: true, waiver: 'file-1' });
    expect(signed.signatures.status).toBe('verified');
    expect(signed.profile).toMatchObject({ max_severity: 'LOW', max_severity_rank: 2 });

    const off = buildGateInput(requests['waivers not allowed by the profile; a provenance waiver']);
    expect(
      off.waivers.every(
        (w) => !w.valid && w.invalid_because === 'waivers are not allowed in the dev profile',
      ),
    ).toBe(true);
    expect(off.provenance_waived).toBe(false);
    expect(off.provenance.status).toBe('not-collected');
  });

  it('describes the input decideGate builds from real scanner files, an SBOM and VEX', () => {
    const policy = parsePolicy(
      readFileSync(repoPath('policy/supplychain.yaml'), 'utf8'),
      'policy/supplychain.yaml',
    );
    const sbom = JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      version: 1,
      metadata: { component: { type: 'application', name: 'orders-api', version: '1.0.0' } },
      components: [
        { type: 'library', name: 'lodash', version: '4.17.11', purl: 'pkg:npm/lodash@4.17.11' },
        { type: 'library', name: 'minimist', version: '1.2.5', purl: 'pkg:npm/minimist@1.2.5' },
      ],
    });
    const decision = decideGate(
      {
        sboms: [{ file: 'bom.json', text: sbom }],
        findings: [
          {
            file: 'grype.json',
            text: grypeJson([
              {
                id: 'CVE-2021-44228',
                pkg: 'log4j-core',
                version: '2.14.1',
                severity: 'Critical',
                fixed: '2.15.0',
                score: 10,
                related: ['GHSA-jfh8-c2jp-5v3q'],
              },
            ]),
          },
          {
            file: 'trivy.json',
            text: trivyJson({
              'package-lock.json': [
                { id: 'CVE-2021-44906', pkg: 'minimist', version: '1.2.5', severity: 'CRITICAL', score: 9.8 },
              ],
            }),
          },
          {
            file: 'audit.json',
            text: npmAuditJson([
              {
                pkg: 'lodash',
                ghsa: 'GHSA-jf85-cpcp-j695',
                severity: 'critical',
                range: '<4.17.12',
                fix: '4.17.21',
              },
            ]),
          },
          {
            file: 'code.sarif',
            text: sarifJson([
              { rule: 'js/sql-injection', securitySeverity: '8.8', pkg: 'src/db.ts', version: '' },
            ]),
          },
          {
            file: 'vex.json',
            text: vexJson([
              {
                id: 'CVE-2021-44906',
                purl: 'pkg:npm/minimist@1.2.5',
                state: 'not_affected',
                justification: 'code_not_reachable',
              },
            ]),
          },
        ],
      },
      {
        env: 'prod',
        profile: defaultProfile('prod'),
        policy,
        waivers: [waiver({ approvedBy: 'ben' })],
        enforce: true,
        now,
      },
    );
    expect(problems(decision.input)).toEqual([]);
    expect(decision.input.subject.name).toBe('orders-api');
    expect(decision.input.findings.map((f) => f.source).sort()).toEqual(['grype', 'npm-audit', 'sarif']);
    expect(decision.input.suppressed).toHaveLength(1);
  });

  describe('rejects what GateInput is not', () => {
    const good = () =>
      structuredClone(
        buildGateInput(requests['an SBOM, findings from two scanners, a valid waiver in dev']),
      ) as unknown as Record<string, unknown> & {
        findings: Record<string, unknown>[];
        waivers: Record<string, unknown>[];
        sbom: Record<string, unknown>;
      };

    it('an extra field at the top, in a finding, in a waiver', () => {
      expect(problems({ ...good(), extra: true })).toContainEqual(
        expect.stringContaining('additionalProperty":"extra'),
      );
      const finding = good();
      finding.findings[0].cvss = { score: 10 };
      expect(problems(finding)).toContainEqual(
        expect.stringMatching(/^\/findings\/0 .*additionalProperty":"cvss/),
      );
      const w = good();
      w.waivers[0].approvedBy = 'ben';
      expect(problems(w)).toContainEqual(expect.stringMatching(/^\/waivers\/0 .*approvedBy/));
    });

    it('a missing field at the top, in the SBOM, in a finding', () => {
      const { provenance_waived: _, ...top } = good();
      expect(problems(top)).toContainEqual(expect.stringContaining('missingProperty":"provenance_waived'));
      const sbom = good();
      delete sbom.sbom.files;
      expect(problems(sbom)).toContainEqual(expect.stringMatching(/^\/sbom .*missingProperty":"files/));
      const finding = good();
      delete finding.findings[0].fixed_version;
      expect(problems(finding)).toContainEqual(expect.stringMatching(/^\/findings\/0 .*fixed_version/));
    });

    it('wrong values: a version, an env, a severity, a status, a float rank, a non-string annotation', () => {
      expect(problems({ ...good(), version: 'mc.gate-input/v2' })).not.toEqual([]);
      expect(problems({ ...good(), env: 'qa' })).not.toEqual([]);
      const severity = good();
      severity.findings[0].severity = 'Critical';
      expect(problems(severity)).not.toEqual([]);
      expect(problems({ ...good(), signatures: { status: 'skipped', detail: '' } })).not.toEqual([]);
      const rank = good();
      rank.findings[0].severity_rank = 4.5;
      expect(problems(rank)).not.toEqual([]);
      expect(problems({ ...good(), annotations: { tier: 1 } })).not.toEqual([]);
    });
  });
});
