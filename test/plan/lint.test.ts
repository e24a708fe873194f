import { describe, expect, it } from 'vitest';
import { analyzePipeline } from '../../lib/plan/index.js';
import { pipelineYaml } from '../support/pipelines.js';

const SERVICES = '  services: [{name: api}, {name: web}]\n';
const lint = (stages: string, env: 'dev' | 'staging' | 'prod' = 'dev', spec = SERVICES) =>
  analyzePipeline('f.yaml', pipelineYaml(stages, spec), { env }).diagnostics.map(
    (d) => `${d.severity}: ${d.message}`,
  );

const RELEASE_WITHOUT_SBOM = `    - name: check
      steps: [{name: scan, action: scan, for_each: "\${{ services }}"}]
    - name: ship
      depends_on: [check]
      steps: [{name: push, action: docker-push, for_each: "\${{ services }}"}]
`;

describe('supply-chain lint', () => {
  it('warns under dev when a release does not depend on the SBOM of its service', () => {
    expect(lint(RELEASE_WITHOUT_SBOM)).toEqual([
      'warning: ship/push[api] (docker-push) does not depend on an SBOM step of service api; make its stage depend on the stage that has it',
      'warning: ship/push[web] (docker-push) does not depend on an SBOM step of service web; make its stage depend on the stage that has it',
    ]);
  });

  it('makes the same finding an error under prod', () => {
    expect(lint(RELEASE_WITHOUT_SBOM, 'prod').every((m) => m.startsWith('error: '))).toBe(true);
  });

  it('does not accept the scan of another service', () => {
    const stages = `    - name: check
      parallel: true
      steps:
        - {name: scan, action: scan, services: [web]}
        - {name: sbom, action: sbom}
    - name: ship
      depends_on: [check]
      steps: [{name: sign, action: sign, services: [api]}]
`;
    expect(lint(stages)).toEqual([
      'warning: ship/sign (sign) does not depend on a scan step of service api; make its stage depend on the stage that has it',
    ]);
  });

  it('accepts a release that depends on both, transitively', () => {
    const stages = `    - name: check
      steps: [{name: scan, action: trivy-scan}, {name: sbom, action: syft-sbom}]
    - name: build
      depends_on: [check]
      steps: [{name: b, command: make}]
    - name: ship
      depends_on: [build]
      steps: [{name: push, action: docker-push, services: [api]}]
`;
    expect(lint(stages, 'prod')).toEqual([]);
  });

  it('flags images referenced by tag and malformed digests', () => {
    const spec =
      '  services:\n    - {name: api, base_image: "node:22"}\n    - {name: web, base_image: "node@sha256:XYZ"}\n';
    expect(lint('    - name: a\n      steps: [{name: x, command: x}]\n', 'staging', spec)).toEqual([
      'warning: image "node:22" is referenced by tag; pin it by digest (node:22@sha256:<digest>) so every run uses the same image',
      'warning: malformed digest "sha256:XYZ": sha256: must be followed by exactly 64 lower-case hex characters',
    ]);
  });
});

describe('supply-chain lint, on edge cases found in review', () => {
  it('does not count a scan that is skipped', () => {
    const stages = `    - name: checks
      condition: profile != 'prod'
      parallel: true
      steps: [{name: scan, action: scan}, {name: sbom, action: sbom}]
    - name: ship
      depends_on: [checks]
      steps: [{name: push, action: docker-push, services: [api]}]
`;
    expect(lint(stages, 'prod')).toHaveLength(1);
  });

  it('does not ask for an SBOM when the profile turns SBOM policy off', () => {
    const stages = `    - name: checks
      steps: [{name: scan, action: scan}]
    - name: ship
      depends_on: [checks]
      steps: [{name: push, action: docker-push, services: [api]}]
`;
    const spec = `${SERVICES}  profiles:\n    dev:\n      sbom_policy: "off"\n`;
    expect(lint(stages, 'dev', spec)).toEqual([]);
  });
});
