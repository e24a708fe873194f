import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVIDENCE } from '../../lib/evidence/index.js';
import { addWaiver, approveWaiver, DEFAULT_MAX_TTL_SECONDS, type GateReport } from '../../lib/gate/index.js';
import { project, runProject, statuses, withBackend } from '../support/local-run.js';
import { startNpmAdvisories } from '../support/npm-advisories.js';
import { rehearsalTrustPolicy } from '../support/trust.js';

// A project with a known-vulnerable dependency (lodash 4.17.11, prototype pollution), scanned by
// the real npm audit against a stand-in advisory service.
const LODASH_INTEGRITY =
  'sha512-cQKh8igo5QUhZ7lg38DYWAxMvjSAKG0A8wGSVimP07SIUEK2UO+arSRKbRZWtelMtN5V0Hkwh5ryOto/SshYIg==';
const GHSA = 'GHSA-jf85-cpcp-j695';

describe('the supply-chain gate in a pipeline run', () => {
  let advisories: Awaited<ReturnType<typeof startNpmAdvisories>>;
  beforeAll(async () => {
    advisories = await startNpmAdvisories({
      lodash: [
        {
          id: 1106913,
          ghsa: GHSA,
          title: 'Prototype Pollution in lodash',
          severity: 'critical',
          vulnerableVersions: '<4.17.12',
          cvss: 9.1,
        },
      ],
    });
  });
  afterAll(() => advisories.close());

  it('blocks a known-vulnerable dependency in prod, naming it, and passes once a waiver is added and approved', async () => {
    const p = project(`apiVersion: orchestration.maestro.dev/v1
kind: BuildPipeline
metadata: {name: vuln-demo, version: "27.1.0"}
spec:
  services:
    - {name: app, path: app}
  stages:
    - name: supply-chain
      parallel: true
      steps:
        - {name: sbom, action: sbom, services: [app]}
        - {name: scan, action: scan, services: [app]}
        - {name: pack, command: "mkdir -p dist && tar -czf dist/app.tgz app", artifacts: [dist/app.tgz]}
    - name: signing
      depends_on: [supply-chain]
      parallel: true
      steps:
        - {name: sign, action: sign}
        - {name: attest, action: attest}
    # A blocked gate decides the same way every time: never retried.
    - name: release
      depends_on: [signing]
      retries: 2
      steps:
        - {name: gate, action: gate}
`);
    mkdirSync(join(p.dir, 'app'));
    writeFileSync(
      join(p.dir, 'app', 'package.json'),
      JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { lodash: '4.17.11' } }),
    );
    writeFileSync(
      join(p.dir, 'app', 'package-lock.json'),
      JSON.stringify({
        name: 'app',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': { name: 'app', version: '1.0.0', dependencies: { lodash: '4.17.11' } },
          'node_modules/lodash': {
            version: '4.17.11',
            resolved: 'https://registry.npmjs.org/lodash/-/lodash-4.17.11.tgz',
            integrity: LODASH_INTEGRITY,
            license: 'MIT',
          },
        },
      }),
    );
    const processEnv = {
      npm_config_registry: advisories.registry,
      MC_ENFORCE: 'true',
      // Rehearsing prod here: the shipped trust policy refuses the local key in prod (tested below).
      MC_TRUST_POLICY: rehearsalTrustPolicy(),
    };
    await withBackend(async (backend, home) => {
      const blocked = await runProject(backend, home, p, { env: 'prod', processEnv });
      expect(statuses(blocked)).toEqual({
        'supply-chain/sbom': 'SUCCEEDED',
        'supply-chain/scan': 'SUCCEEDED',
        'supply-chain/pack': 'SUCCEEDED',
        'signing/sign': 'SUCCEEDED',
        'signing/attest': 'SUCCEEDED',
        'release/gate': 'FAILED',
      });
      const gate = blocked.nodes.find((n) => n.node === 'release/gate');
      expect(gate?.error).toMatchObject({ Error: 'MC.GateBlocked' });
      expect(gate?.error?.Cause).toContain(`Blocked: lodash CRITICAL (${GHSA})`);
      expect(gate?.attempts).toBe(1);
      expect(advisories.requests).toContain('POST /-/npm/v1/security/advisories/bulk');
      // The SBOM and the scanner output are evidence of their nodes; the report of the gate's.
      const prefix = blocked.run.evidence.prefix;
      expect(
        await backend.evidence.list(`${prefix}${EVIDENCE.nodeEvidence('supply-chain/sbom', 1)}`),
      ).toEqual([`${prefix}${EVIDENCE.nodeEvidence('supply-chain/sbom', 1)}sbom/app.cdx.json`]);
      const report = await backend.evidence.getJson<GateReport>(
        `${prefix}${EVIDENCE.gateReport('release/gate', 1, 'json')}`,
      );
      expect(report).toMatchObject({
        allow: false,
        mode: 'enforce',
        env: 'prod',
        sbom: { present: true, components: 1 },
      });

      const deps = { waivers: backend.waivers, evidence: backend.evidence, now: () => new Date() };
      const waiver = await addWaiver(
        deps,
        {
          vulnerability: GHSA,
          component: 'pkg:npm/lodash',
          ttl: '7d',
          reason: 'merge() never sees user input',
          owner: 'ana',
        },
        DEFAULT_MAX_TTL_SECONDS,
      );
      // Added but not approved: prod still blocks.
      expect((await runProject(backend, home, p, { env: 'prod', processEnv })).status).toBe('FAILED');
      await approveWaiver(deps, waiver.id, 'ben');
      const passed = await runProject(backend, home, p, { env: 'prod', processEnv });
      expect(passed.status).toBe('SUCCEEDED');
      const allowed = await backend.evidence.getJson<GateReport>(
        `${passed.run.evidence.prefix}${EVIDENCE.gateReport('release/gate', 1, 'json')}`,
      );
      expect(allowed?.waived).toEqual([
        expect.objectContaining({ vulnerability: GHSA, waiver: waiver.id, approvedBy: 'ben' }),
      ]);
    });
  });
});

describe('signatures and provenance the profile requires', () => {
  it('blocks an artifact that was not signed, naming it, and verifies the provenance of both', async () => {
    // dev, made to require what prod requires (prod would also want a scan and an SBOM first).
    const p = project(`apiVersion: orchestration.maestro.dev/v1
kind: BuildPipeline
metadata: {name: unsigned, version: "27.1.0"}
spec:
  # Both checks run to the end, whichever fails first.
  fail_fast: false
  profiles:
    dev: {require_signature: true, require_provenance: true, sbom_policy: enforce}
  stages:
    - name: build
      steps:
        - {name: pack, command: "mkdir -p dist && echo one > dist/a.txt && echo two > dist/b.txt", artifacts: [dist/a.txt, dist/b.txt]}
    - name: release
      depends_on: [build]
      parallel: true
      steps:
        - {name: attest, action: attest}
        - {name: sign, action: sign, with: {artifacts: [dist/a.txt]}}
    - name: gate
      depends_on: [release]
      parallel: true
      steps:
        - {name: policy, action: gate}
        - {name: verify, action: verify}
`);
    await withBackend(async (backend, home) => {
      const result = await runProject(backend, home, p);
      expect(statuses(result)).toMatchObject({ 'gate/policy': 'FAILED', 'gate/verify': 'FAILED' });
      expect(result.nodes.find((n) => n.node === 'gate/verify')?.error?.Cause).toContain(
        'not verified: signatures missing (no signature for dist/b.txt)',
      );
      const report = await backend.evidence.getJson<GateReport>(
        `${result.run.evidence.prefix}${EVIDENCE.gateReport('gate/policy', 1, 'json')}`,
      );
      expect(report?.signatures).toEqual({ status: 'missing', detail: 'no signature for dist/b.txt' });
      expect(report?.provenance.status).toBe('verified');
      // The provenance names the pipeline file by the digest of its text, as mc attest --pipeline does.
      const bundle = await backend.evidence.getJson<{ dsseEnvelope: { payload: string } }>(
        `${result.run.evidence.prefix}${EVIDENCE.nodeSigned('release/attest', 1, 'provenance', 'dist/a.txt')}`,
      );
      const statement = JSON.parse(
        Buffer.from(bundle?.dsseEnvelope.payload ?? '', 'base64').toString('utf8'),
      );
      expect(statement.predicate.buildDefinition.externalParameters.pipeline).toEqual({
        name: 'unsigned',
        digest: { sha256: createHash('sha256').update(readFileSync(p.file)).digest('hex') },
      });
      expect(report?.violations.map((v) => v.message)).toEqual([
        'Unsigned: the dev profile requires a verified signature (missing: no signature for dist/b.txt)',
      ]);
    });
  });
});

describe('the trust policy in a pipeline run', () => {
  it('refuses the local key in prod under the shipped policy, saying why, and accepts it where a policy trusts it', async () => {
    const p = project(`apiVersion: orchestration.maestro.dev/v1
kind: BuildPipeline
metadata: {name: trusted, version: "27.1.0"}
spec:
  stages:
    - name: supply-chain
      parallel: true
      steps:
        - {name: sbom, action: sbom}
        - {name: scan, action: scan}
    - name: build
      depends_on: [supply-chain]
      steps:
        - {name: pack, command: "mkdir -p dist && echo one > dist/a.txt", artifacts: [dist/a.txt]}
    - name: release
      depends_on: [build]
      steps:
        - {name: sign, action: sign}
        - {name: attest, action: attest}
    - name: check
      depends_on: [release]
      steps: [{name: verify, action: verify}]
`);
    // An npm project without dependencies: the real npm audit needs no network for it.
    writeFileSync(join(p.dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0' }));
    writeFileSync(
      join(p.dir, 'package-lock.json'),
      JSON.stringify({
        name: 'app',
        version: '1.0.0',
        lockfileVersion: 3,
        packages: { '': { name: 'app', version: '1.0.0' } },
      }),
    );
    await withBackend(async (backend, home) => {
      const refused = await runProject(backend, home, p, { env: 'prod' });
      const verify = refused.nodes.find((n) => n.node === 'check/verify');
      expect(verify).toMatchObject({ status: 'FAILED', attempts: 1, error: { Error: 'MC.GateBlocked' } });
      expect(verify?.error?.Cause).toContain(
        'signatures invalid (signed with a local key, which the trust policy policy/trust-policy.yaml (shipped with mc) does not accept in prod',
      );
      const trusted = await runProject(backend, home, p, {
        env: 'prod',
        processEnv: { MC_TRUST_POLICY: rehearsalTrustPolicy() },
      });
      expect(statuses(trusted)['check/verify']).toBe('SUCCEEDED');
    });
  });
});

describe('a sign step with nothing to sign', () => {
  it('fails as invalid input, naming why, and is not retried', async () => {
    const p = project(`apiVersion: orchestration.maestro.dev/v1
kind: BuildPipeline
metadata: {name: nothing, version: "27.1.0"}
spec:
  stages:
    - name: build
      steps: [{name: make, command: "true"}]
    - name: release
      depends_on: [build]
      retries: 2
      steps: [{name: sign, action: sign}]
`);
    await withBackend(async (backend, home) => {
      const result = await runProject(backend, home, p);
      const sign = result.nodes.find((n) => n.node === 'release/sign');
      expect(sign).toMatchObject({ status: 'FAILED', attempts: 1, error: { Error: 'MC.InvalidInput' } });
      expect(sign?.error?.Cause).toContain('nothing to sign');
    });
  });
});
