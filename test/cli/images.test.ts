import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushEvent } from '../../lib/images/index.js';
import { imageProvenance, imageSbom } from '../support/admission.js';
import { mc } from '../support/cli.js';
import { pushTestImage, startRegistry, type TestRegistry } from '../support/registry.js';

let registry: TestRegistry;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  registry = await startRegistry();
  dir = mkdtempSync(join(tmpdir(), 'mc-images-'));
  env = { MC_HOME: join(dir, '.mc'), PATH: process.env.PATH ?? '' };
  const host = registry.host;
  writeFileSync(
    join(dir, 'promotion.yaml'),
    `apiVersion: policy.maestro.dev/v1
kind: PromotionMap
metadata: {name: cli}
services:
  api: {dev: ${host}/dev/api, staging: ${host}/staging/api}
`,
  );
  const all = '{signers: [key], require: [signature, provenance, sbom]}';
  writeFileSync(
    join(dir, 'trust.yaml'),
    `apiVersion: policy.maestro.dev/v1
kind: TrustPolicy
metadata: {name: cli}
keys: [{name: project, publicKeyFile: .mc/keys/mc.pub}]
environments: {dev: ${all}, staging: ${all}, prod: ${all}}
`,
  );
  writeFileSync(join(dir, 'provenance.json'), JSON.stringify(imageProvenance()));
  writeFileSync(join(dir, 'sbom.json'), JSON.stringify(imageSbom()));
  writeFileSync(
    join(dir, 'grype.json'),
    JSON.stringify({ matches: [], descriptor: { name: 'grype', version: '0.80.0' } }),
  );
  expect((await mc(['keys', 'generate'], { cwd: dir, env })).code).toBe(0);
});
afterAll(async () => {
  await registry?.close();
});

const run = (argv: string[], extra: Record<string, string> = {}) =>
  mc(argv, { cwd: dir, env: { ...env, ...extra } });
const policy = ['--insecure-registry', '--trust-policy', 'trust.yaml', '--promotion-map', 'promotion.yaml'];

/** A fresh image in dev/api, signed and attested with the project key through the CLI. */
async function releasedImage(tag: string): Promise<string> {
  const image = await pushTestImage(registry.client(), 'dev/api', tag, `cli ${randomUUID()}`);
  const ref = `${registry.host}/dev/api@${image.digest}`;
  expect((await run(['sign-image', ref, '--insecure-registry'])).code).toBe(0);
  for (const [type, file] of [
    ['slsaprovenance1', 'provenance.json'],
    ['cyclonedx', 'sbom.json'],
    ['vuln', 'grype.json'],
  ])
    expect(
      (await run(['attest-image', ref, '--insecure-registry', '--type', type, '--predicate', file])).code,
    ).toBe(0);
  return ref;
}

describe('mc sign-image and mc attest-image', () => {
  it('sign by digest and attach the bundle, resolving a tag once', async () => {
    // Prepare
    const image = await pushTestImage(registry.client(), 'dev/api', 'signed', 'signed by the cli');

    // Act
    const signed = await run([
      'sign-image',
      `${registry.host}/dev/api:signed`,
      '--insecure-registry',
      '--json',
    ]);

    // Assess
    expect(signed.code).toBe(0);
    expect(JSON.parse(signed.stdout)).toMatchObject({
      image: `${registry.host}/dev/api@${image.digest}`,
      digest: image.digest,
      predicateType: 'https://sigstore.dev/cosign/sign/v1',
      referrersApi: false,
    });
  });

  it('refuse an unknown type, an invalid SBOM and a plain-HTTP registry without --insecure-registry', async () => {
    const ref = `${registry.host}/dev/api:signed`;
    writeFileSync(
      join(dir, 'bad-sbom.json'),
      JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: 'x' }),
    );
    expect(
      await run(['attest-image', ref, '--insecure-registry', '--type', 'spdx', '--predicate', 'sbom.json']),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--type spdx: expected one of slsaprovenance1, cyclonedx, vuln'),
    });
    expect(
      (
        await run([
          'attest-image',
          ref,
          '--insecure-registry',
          '--type',
          'cyclonedx',
          '--predicate',
          'bad-sbom.json',
        ])
      ).code,
    ).toBe(2);
    expect(await run(['sign-image', ref])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('needs --insecure-registry'),
    });
    expect((await run(['sign-image', 'api:latest'])).code).toBe(2);
  });
});

describe('mc verify-image', () => {
  it('checks signatures with a key, as cosign verify does', async () => {
    // Prepare
    const ref = await releasedImage('keyed');
    const other = join(dir, 'other');
    writeFileSync(join(dir, 'other.yaml'), '');
    expect((await mc(['keys', 'generate'], { cwd: dir, env: { ...env, MC_HOME: other } })).code).toBe(0);

    // Act
    const good = await run(['verify-image', ref, '--insecure-registry', '--key', '.mc/keys/mc.pub']);
    const bad = await run([
      'verify-image',
      ref,
      '--insecure-registry',
      '--key',
      'other/keys/mc.pub',
      '--json',
    ]);

    // Assess
    expect(good).toMatchObject({ code: 0, stdout: `verified ${ref}\n` });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ verified: false, reasons: [{ code: 'MC-SIG-INVALID' }] });
    expect(bad.stderr).toContain('MC-SIG-INVALID');
  });

  it("checks everything an environment's trust policy requires", async () => {
    // Prepare
    const ref = await releasedImage('policy');
    const unsigned = await pushTestImage(registry.client(), 'dev/api', 'bare', `bare ${randomUUID()}`);

    // Act
    const verified = await run(['verify-image', ref, ...policy, '--json']);
    const rejected = await run([
      'verify-image',
      `${registry.host}/dev/api@${unsigned.digest}`,
      ...policy,
      '--env',
      'staging',
    ]);

    // Assess
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      verified: true,
      env: 'dev',
      signature: { status: 'verified' },
      provenance: { status: 'verified' },
      sbom: { status: 'verified' },
    });
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/MC-SIG-001/);
  });

  it('is a usage error without a signer or a policy, or with both', async () => {
    const ref = `${registry.host}/dev/api:signed`;
    expect((await run(['verify-image', ref, '--insecure-registry'])).code).toBe(2);
    expect((await run(['verify-image', ref, '--key', '.mc/keys/mc.pub', '--env', 'dev'])).code).toBe(2);
  });
});

describe('mc promote, mc images and mc rollback', () => {
  it('promotes a verified image, lists it in both environments, and rolls back to the one before', async () => {
    // Prepare
    const first = await releasedImage('p1');
    const second = await releasedImage('p2');

    // Act
    const promoted = await run(['promote', first, '--to', 'staging', ...policy, '--json']);
    const again = await run(['promote', second, '--to', 'staging', ...policy]);
    const images = await run(['images', '--env', 'staging', '--json']);
    const rolled = await run(['rollback', 'api', '--env', 'staging', ...policy, '--json']);

    // Assess
    expect(promoted.code).toBe(0);
    expect(JSON.parse(promoted.stdout)).toMatchObject({
      promoted: true,
      promotion: { to: 'staging', tags: ['current'] },
    });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('event: MC Image Promoted');
    const listed = JSON.parse(images.stdout).images.map((i: { digest: string }) => i.digest);
    expect(listed).toEqual(expect.arrayContaining([first.split('@')[1], second.split('@')[1]]));
    expect(JSON.parse(rolled.stdout)).toMatchObject({ from: second.split('@')[1], to: first.split('@')[1] });
    expect((await registry.client().resolve('staging/api', 'current'))?.digest).toBe(first.split('@')[1]);

    // Promoting the same digest again changes nothing, and its view still says promoted.
    const repeated = await run(['promote', first, '--to', 'staging', ...policy]);
    expect(repeated).toMatchObject({ code: 0, stdout: expect.stringContaining(', as before') });
    const dev = JSON.parse((await run(['images', '--env', 'dev', '--json'])).stdout).images;
    expect(dev.find((i: { digest: string }) => i.digest === first.split('@')[1])).toMatchObject({
      promotion: { state: 'PROMOTED', to: 'staging' },
    });
  });

  it('refuses an environment that is not next, and says when the kill switch stops promotion', async () => {
    // Prepare
    const ref = await releasedImage('halted');

    // Act
    const wrong = await run(['promote', ref, '--to', 'prod', ...policy]);
    const stopped = await run(['promote', ref, '--to', 'staging', ...policy], { MC_PROMOTE: 'false' });

    // Assess
    expect(wrong).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('it is promoted to staging, not prod'),
    });
    expect(stopped).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('MC-PROMOTE-KILL-SWITCH: promotion is switched off'),
    });
  });

  it('refuses to roll back when nothing earlier is recorded', async () => {
    const result = await run(['rollback', 'api', '--env', 'staging', ...policy], {
      MC_HOME: join(dir, 'fresh'),
    });
    expect(result).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no good image of api in staging is recorded'),
    });
  });
});

describe('mc verify-push', () => {
  it('runs the verify-image machine locally on an ECR event', async () => {
    // Prepare
    const ref = await releasedImage('pushed');
    const event = pushEvent({
      eventId: randomUUID(),
      account: '111111111111',
      region: 'eu-west-1',
      repository: 'dev/api',
      digest: ref.split('@')[1],
      tag: 'pushed',
    });
    writeFileSync(join(dir, 'event.json'), JSON.stringify(event));

    // Act
    const result = await run(['verify-push', 'event.json', ...policy], { MC_REGISTRY: registry.host });

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'SUCCEEDED: Verify pushed image → Route verification → Announce verified image',
    );
    expect(result.stdout).toContain('→ Promoted');
    expect(result.stderr).toContain('event: MC Image Verified');
  });

  it('fails for a rejected image and is a usage error for a file that is not JSON', async () => {
    const bare = await pushTestImage(registry.client(), 'dev/api', 'rejected', `rejected ${randomUUID()}`);
    writeFileSync(
      join(dir, 'rejected.json'),
      JSON.stringify(
        pushEvent({
          eventId: randomUUID(),
          account: '111111111111',
          region: 'eu-west-1',
          repository: 'dev/api',
          digest: bare.digest,
        }),
      ),
    );
    writeFileSync(join(dir, 'broken.json'), '{');
    expect(
      (await run(['verify-push', 'rejected.json', ...policy], { MC_REGISTRY: registry.host })).code,
    ).toBe(1);
    expect((await run(['verify-push', 'broken.json', ...policy])).code).toBe(2);
  });
});

describe('help', () => {
  it('is there for every image command', async () => {
    for (const command of [
      'sign-image',
      'attest-image',
      'verify-image',
      'images',
      'promote',
      'rollback',
      'verify-push',
    ]) {
      const result = await run([command, '--help']);
      expect(result.code, command).toBe(0);
      expect(result.stdout, command).toContain('Exit codes');
    }
  });
});
