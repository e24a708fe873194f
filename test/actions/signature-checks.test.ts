import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicKeyPem } from '../../lib/signing/index.js';
import { project, runProject, withBackend } from '../support/local-run.js';

const PIPELINE = `apiVersion: orchestration.maestro.dev/v1
kind: BuildPipeline
metadata: {name: trusted-keys, version: "27.1.0"}
spec:
  stages:
    - name: build
      steps:
        - {name: pack, command: "mkdir -p dist && echo release > dist/app.txt", artifacts: [dist/app.txt]}
    - name: release
      depends_on: [build]
      parallel: true
      steps:
        - {name: sign, action: sign}
        - {name: attest, action: attest}
    - name: check
      depends_on: [release]
      steps:
        - {name: verify, action: verify}
`;

/** A trust policy that lists one key (PEM) and, optionally, the builders it trusts. */
function policyListing(pem: string, builders = ''): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mc-trust-')), 'trust-policy.yaml');
  writeFileSync(
    file,
    `apiVersion: policy.maestro.dev/v1
kind: TrustPolicy
metadata: {name: listed}
keys: [{name: release, publicKey: ${JSON.stringify(pem)}}]
${builders}environments:
  dev: {signers: [key], require: [signature, provenance]}
`,
  );
  return file;
}

describe("the pipeline's verify step under a trust policy that lists keys", () => {
  it('accepts the artifacts signed by a listed key, naming it', async () => {
    await withBackend(async (backend, home) => {
      // Prepare: the project key exists before the run, so the policy can list it.
      const first = await runProject(backend, home, project(PIPELINE));
      expect(first.status).toBe('SUCCEEDED');
      const pem = readFileSync(join(home, 'keys', 'mc.pub'), 'utf8');

      // Act
      const run = await runProject(backend, home, project(PIPELINE), {
        processEnv: { MC_TRUST_POLICY: policyListing(pem) },
      });

      // Assess
      expect(run.status).toBe('SUCCEEDED');
    });
  });

  it("refuses the run's own key when the policy lists another, and a builder it does not list", async () => {
    await withBackend(async (backend, home) => {
      // Prepare
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
      await runProject(backend, home, project(PIPELINE));
      const own = readFileSync(join(home, 'keys', 'mc.pub'), 'utf8');

      // Act
      const stranger = await runProject(backend, home, project(PIPELINE), {
        processEnv: { MC_TRUST_POLICY: policyListing(publicKeyPem(other)) },
      });
      const builder = await runProject(backend, home, project(PIPELINE), {
        processEnv: {
          MC_TRUST_POLICY: policyListing(own, 'builders: [{id: "https://builder.example/ci@v1"}]\n'),
        },
      });

      // Assess
      const cause = async (runId: string) =>
        (await backend.state.getNodes(runId)).find((n) => n.node === 'check/verify')?.error?.Cause ?? '';
      expect(stranger.status).toBe('FAILED');
      expect(await cause(stranger.runId)).toMatch(/no key the trust policy .* lists verifies it/);
      expect(builder.status).toBe('FAILED');
      expect(await cause(builder.runId)).toMatch(/the builder .* is not one the trust policy .* trusts/);
    });
  });
});
