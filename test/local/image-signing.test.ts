import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedPolicy } from '../../lib/gate/index.js';
import { collectImage, decideImage } from '../../lib/images/index.js';
import { loadPublicKey, publicKeyPem } from '../../lib/signing/index.js';
import { parseTrustPolicy } from '../../lib/trust/index.js';
import { imageSbom } from '../support/admission.js';
import { project, runProject, statuses, withBackend } from '../support/local-run.js';
import { pushTestImage, startRegistry, type TestRegistry } from '../support/registry.js';

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry?.close();
});

describe('a pipeline that signs and attests an image', () => {
  it('attaches a signature, its provenance, the SBOM and the scan by digest, and the image verifies', async () => {
    // Prepare: a build step keeps an SBOM and a scan report as evidence, as the sbom and scan steps do.
    const image = await pushTestImage(registry.client(), 'dev/api', 'v1', 'built by the pipeline');
    const sbom = JSON.stringify(imageSbom()).replaceAll('"', '\\"');
    const scan = JSON.stringify({ matches: [], descriptor: { name: 'grype', version: '0.80.0' } }).replaceAll(
      '"',
      '\\"',
    );
    const ref = `${registry.host}/dev/api:v1`;
    const p = project(`apiVersion: orchestration.maestro.dev/v1
kind: BuildPipeline
metadata: {name: image-release, version: "27.1.0"}
spec:
  stages:
    - name: build
      steps:
        - name: evidence
          command: >-
            mkdir -p .mc-evidence/sbom .mc-evidence/findings &&
            echo "${sbom}" > .mc-evidence/sbom/api.cdx.json &&
            echo "${scan}" > .mc-evidence/findings/api.json
    - name: release
      depends_on: [build]
      parallel: true
      steps:
        - {name: sign, action: cosign-sign, with: {image: "${ref}"}}
        - {name: provenance, action: cosign-attest, with: {image: "${ref}"}}
        - {name: sbom, action: cosign-attest, with: {image: "${ref}", type: cyclonedx}}
        - {name: scan, action: cosign-attest, with: {image: "${ref}", type: vuln}}
`);

    // Act
    const outcome = await withBackend(async (backend, home) => {
      const run = await runProject(backend, home, p, {
        processEnv: { MC_INSECURE_REGISTRIES: registry.host },
      });
      return { run, statuses: statuses(run), home };
    });

    // Assess
    expect(outcome.run.status).toBe('SUCCEEDED');
    expect(Object.values(outcome.statuses).every((s) => s === 'SUCCEEDED')).toBe(true);
    const key = loadPublicKey(readFileSync(join(outcome.home, 'keys', 'mc.pub'), 'utf8'), 'mc.pub');
    const trust = parseTrustPolicy(
      `apiVersion: policy.maestro.dev/v1
kind: TrustPolicy
metadata: {name: pipeline}
keys: [{name: project, publicKey: ${JSON.stringify(publicKeyPem(key))}}]
environments: {staging: {signers: [key], require: [signature, provenance, sbom]}}
`,
      'trust.yaml',
      outcome.home,
    );
    const collected = await collectImage(registry.client(), 'dev/api', image.digest);
    const decision = await decideImage(collected, {
      env: 'staging',
      trust,
      policy: shippedPolicy(),
      waivers: [],
      enforce: true,
      now: new Date(),
    });
    expect(collected.attachments).toHaveLength(4);
    expect(decision).toMatchObject({
      verdict: 'verified',
      signature: { status: 'verified' },
      provenance: { status: 'verified' },
      sbom: { status: 'verified' },
    });
  });

  it('fails the step, naming the reference, when the image does not exist', async () => {
    // Prepare
    const p = project(`apiVersion: orchestration.maestro.dev/v1
kind: BuildPipeline
metadata: {name: image-missing, version: "27.1.0"}
spec:
  stages:
    - name: release
      steps:
        - {name: sign, action: cosign-sign, with: {image: "${registry.host}/dev/api:no-such-tag"}}
`);

    // Act
    const outcome = await withBackend(async (backend, home) => {
      const run = await runProject(backend, home, p, {
        processEnv: { MC_INSECURE_REGISTRIES: registry.host },
      });
      return { run, nodes: await backend.state.getNodes(run.runId) };
    });

    // Assess
    expect(outcome.run.status).toBe('FAILED');
    expect(outcome.nodes[0].error?.Cause).toMatch(/no-such-tag: .*no image dev\/api:no-such-tag/);
  });
});
