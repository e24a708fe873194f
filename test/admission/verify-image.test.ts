import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollback } from '../../lib/admission/index.js';
import { parsePromotionMap, pushEvent } from '../../lib/images/index.js';
import {
  type LocalBackend,
  openLocalBackend,
  type PutEventsEntry,
  runImageMachine,
} from '../../lib/local/index.js';
import { RegistryClient } from '../../lib/registry/index.js';
import { compileVerifyImage } from '../../statemachines/index.js';
import {
  signAndAttest,
  type TestAdmission,
  testAdmission,
  testPromotionMap,
  trustedKey,
} from '../support/admission.js';
import { pushTestImage, startReferrersFront, startRegistry, type TestRegistry } from '../support/registry.js';

let registry: TestRegistry;
let backend: LocalBackend;
const key = trustedKey();
const definition = compileVerifyImage();

beforeAll(async () => {
  registry = await startRegistry();
  backend = await openLocalBackend(mkdtempSync(join(tmpdir(), 'mc-home-')));
});
afterAll(async () => {
  await backend?.close();
  await registry?.close();
});

function admission(host = registry.host, trustPolicy = key.trustPolicy): TestAdmission {
  return testAdmission(backend, { trustPolicy, map: testPromotionMap(host), registryHost: host });
}

/** Pushes a fresh image (unique content, so a fresh digest) to `<env>/api` and returns its push event. */
async function pushed(client: RegistryClient, env: string, tag: string) {
  const image = await pushTestImage(client, `${env}/api`, tag, `content ${randomUUID()}`);
  const event = pushEvent({
    eventId: randomUUID(),
    account: '111111111111',
    region: 'eu-west-1',
    repository: `${env}/api`,
    digest: image.digest,
    tag,
  });
  return { image, event, reference: `${client.registry}/${env}/api@${image.digest}` };
}

async function run(a: TestAdmission, event: object) {
  const events: PutEventsEntry[] = [];
  const result = await runImageMachine({
    definition,
    event: event as never,
    deps: a.deps,
    events: async (entries) => {
      events.push(...entries);
    },
    retryDelayMs: 0,
  });
  return { ...result, events };
}

const detailOf = (events: PutEventsEntry[], type: string) =>
  events.find((e) => e.DetailType === type)?.Detail as Record<string, unknown> | undefined;
const codes = (detail: Record<string, unknown> | undefined) =>
  ((detail?.reasons as { code: string }[] | undefined) ?? []).map((r) => r.code);

describe('a pushed image that is signed and attested', () => {
  it('is verified, announced and promoted to the next environment with its attestations', async () => {
    // Prepare
    const client = registry.client();
    const { image, event, reference } = await pushed(client, 'dev', 'v1');
    await signAndAttest(client, reference, key.privateKey);
    const a = admission();

    // Act
    const result = await run(a, event);

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.states).toEqual([
      'Verify pushed image',
      'Route verification',
      'Announce verified image',
      'Promotion allowed?',
      'Promote image',
      'Route promotion',
      'Announce promotion',
      'Promoted',
    ]);
    const verified = detailOf(result.events, 'MC Image Verified');
    expect(verified).toMatchObject({
      image: `${registry.host}/dev/api`,
      digest: image.digest,
      env: 'dev',
      service: 'api',
      verdict: 'verified',
      signature: { status: 'verified' },
      provenance: { status: 'verified' },
      sbom: { status: 'verified' },
      promotion: { to: 'staging', allowed: true },
    });
    expect(detailOf(result.events, 'MC Image Promoted')).toMatchObject({
      from: 'dev',
      to: 'staging',
      target: `${registry.host}/staging/api`,
      tags: ['current', 'v1'],
    });
    const reader = registry.client();
    expect((await reader.resolve('staging/api', 'current'))?.digest).toBe(image.digest);
    expect(await reader.referrers('staging/api', image.digest)).toHaveLength(4);
    const recorded = await backend.images.getImage(`${registry.host}/dev/api`, image.digest);
    expect(recorded).toMatchObject({ status: 'VERIFIED', promotion: { state: 'PROMOTED', to: 'staging' } });
    // The SBOM link names the SBOM attestation, in each repository the image is in.
    const link = String(recorded?.sbomLink);
    expect(link).toMatch(new RegExp(`^${registry.host}/dev/api@sha256:[0-9a-f]{64}$`));
    const sbomManifest = await reader.manifest('dev/api', link.split('@')[1]);
    expect(sbomManifest.json.annotations?.['dev.sigstore.bundle.predicateType']).toBe(
      'https://cyclonedx.org/bom',
    );
    expect((await backend.images.getImage(`${registry.host}/staging/api`, image.digest))?.sbomLink).toBe(
      link.replace('/dev/api@', '/staging/api@'),
    );
    expect(
      await backend.evidence.getJson(String((verified?.evidence as { key: string } | undefined)?.key)),
    ).toMatchObject({
      decision: { verdict: 'verified' },
    });
  });

  it('fetches every manifest and blob once per verification', async () => {
    // Prepare
    const client = registry.client();
    const { event, reference } = await pushed(client, 'dev', 'v2');
    await signAndAttest(client, reference, key.privateKey);
    const a = admission();

    // Act
    await run(a, event);

    // Assess: the first client verified; reads by digest never repeat.
    const reads = a.clients[0].requests.filter((r) => /^GET .*\/(manifests|blobs)\/sha256:/.test(r));
    expect(reads.length).toBeGreaterThan(0);
    expect(new Set(reads).size).toBe(reads.length);
  });
});

describe('a pushed image that fails verification', () => {
  it('is rejected when unsigned, naming each missing piece, and nothing is promoted', async () => {
    // Prepare
    const { image, event } = await pushed(registry.client(), 'dev', 'unsigned');

    // Act
    const result = await run(admission(), event);

    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.error?.Error).toBe('MC.ImageRejected');
    expect(result.states.at(-1)).toBe('Image rejected');
    const rejected = detailOf(result.events, 'MC Image Rejected');
    expect(rejected).toMatchObject({ verdict: 'rejected', signature: { status: 'missing' } });
    expect(codes(rejected)).toEqual(expect.arrayContaining(['MC-SIG-001']));
    expect(await registry.client().resolve('staging/api', image.digest)).toBeUndefined();
  });

  it('is rejected when signed by a key the trust policy does not list', async () => {
    // Prepare
    const client = registry.client();
    const { event, reference } = await pushed(client, 'dev', 'stranger');
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    await signAndAttest(client, reference, stranger);

    // Act
    const result = await run(admission(), event);

    // Assess
    const rejected = detailOf(result.events, 'MC Image Rejected');
    expect(rejected?.signature).toMatchObject({
      status: 'invalid',
      detail: expect.stringMatching(/no key the trust policy .* lists verifies it/),
    });
    expect(result.status).toBe('FAILED');
  });

  it('is rejected when its provenance names another digest', async () => {
    // Prepare: the provenance of another image is attached to this one.
    const client = registry.client();
    const { event, reference } = await pushed(client, 'dev', 'borrowed');
    const other = await pushed(client, 'dev', 'other');
    await signAndAttest(client, reference, key.privateKey, ['signature', 'sbom', 'scan']);
    await signAndAttest(client, other.reference, key.privateKey, ['provenance']);
    const theirs = (await client.referrers('dev/api', other.image.digest))[0];
    const manifest = await client.manifest('dev/api', theirs.digest);
    const moved = JSON.parse(manifest.bytes.toString('utf8'));
    moved.subject = { ...moved.subject, digest: event.detail['image-digest'] };
    await client.putReferrer(
      'dev/api',
      Buffer.from(JSON.stringify(moved)),
      manifest.mediaType,
      event.detail['image-digest'],
    );

    // Act
    const result = await run(admission(), event);

    // Assess
    const rejected = detailOf(result.events, 'MC Image Rejected');
    expect(result.states.at(-1), JSON.stringify(result)).toBe('Image rejected');
    expect(rejected?.provenance).toMatchObject({
      status: 'invalid',
      detail: expect.stringMatching(/subject/i),
    });
    expect(codes(rejected)).toEqual(expect.arrayContaining(['MC-PROV-001']));
  });
});

describe('the same event delivered twice', () => {
  it('is verified once; the second execution stops at "Already verified"', async () => {
    // Prepare
    const client = registry.client();
    const { event, reference } = await pushed(client, 'dev', 'twice');
    await signAndAttest(client, reference, key.privateKey);
    const a = admission();

    // Act
    const first = await run(a, event);
    const clients = a.clients.length;
    const second = await run(a, event);

    // Assess
    expect(first.status).toBe('SUCCEEDED');
    expect(second.status).toBe('SUCCEEDED');
    expect(second.states).toEqual(['Verify pushed image', 'Route verification', 'Already verified']);
    expect(second.events).toEqual([]);
    expect(a.clients).toHaveLength(clients);
  });
});

describe('events that are not pushes to verify', () => {
  it('ignores deletions and other detail types, and refuses what is not an event', async () => {
    // Prepare
    const deletion = {
      ...pushEvent({
        eventId: randomUUID(),
        account: '111111111111',
        region: 'eu-west-1',
        repository: 'dev/api',
        digest: `sha256:${'1'.repeat(64)}`,
      }),
    } as Record<string, unknown>;
    deletion.detail = { ...(deletion.detail as object), 'action-type': 'DELETE' };
    const other = { ...deletion, 'detail-type': 'ECR Image Scan' };

    // Act
    const deleted = await run(admission(), deletion);
    const scanned = await run(admission(), other);
    const malformed = await run(admission(), { hello: 'world' });

    // Assess
    expect(deleted.states.at(-1)).toBe('Not a push to verify');
    expect(scanned.states.at(-1)).toBe('Not a push to verify');
    expect(malformed.status).toBe('FAILED');
    expect(malformed.error).toMatchObject({
      Error: 'MC.InvalidInput',
      Cause: expect.stringMatching(/not an ECR Image Action event: .*must have required property 'id'/),
    });
  });
});

describe('an unreachable registry', () => {
  it('is retried, then the verification fails, is announced as rejected, and nothing is promoted', async () => {
    // Prepare
    const client = registry.client();
    const { event, reference, image } = await pushed(client, 'dev', 'offline');
    await signAndAttest(client, reference, key.privateKey);
    const a = admission();
    await registry.pause();

    // Act
    let result: Awaited<ReturnType<typeof run>>;
    try {
      result = await run(a, event);
    } finally {
      await registry.resume();
    }

    // Assess
    expect(result.status, JSON.stringify(result.states)).toBe('FAILED');
    expect(result.error?.Error).toBe('MC.RegistryUnreachable');
    expect(result.states.filter((s) => s === 'Verify pushed image')).toHaveLength(1);
    expect(a.clients).toHaveLength(3);
    expect(codes(detailOf(result.events, 'MC Image Rejected'))).toEqual(['MC-IMAGE-UNVERIFIABLE']);
    expect(await registry.client().resolve('staging/api', image.digest)).toBeUndefined();

    // A redelivery once the registry answers again is verified, not taken for a duplicate.
    const again = await run(a, event);
    expect(again.states.at(-1)).toBe('Promoted');
  });

  it('fails a promotion whose target does not answer, announcing it, after the image was verified', async () => {
    // Prepare: staging lives on a registry that is down.
    const client = registry.client();
    const { event, reference } = await pushed(client, 'dev', 'target-down');
    await signAndAttest(client, reference, key.privateKey);
    const down = await startRegistry();
    const target = down.host;
    await down.close();
    const map = parsePromotionMap(
      `apiVersion: policy.maestro.dev/v1
kind: PromotionMap
metadata: {name: split}
services:
  api: {dev: ${registry.host}/dev/api, staging: ${target}/staging/api}
`,
      'promotion.yaml',
    );
    const a = testAdmission(backend, { trustPolicy: key.trustPolicy, map, registryHost: registry.host });

    // Act
    const result = await run(a, event);

    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.states.slice(-2)).toEqual(['Announce failed promotion', 'Promotion failed']);
    expect(detailOf(result.events, 'MC Image Promotion Failed')).toMatchObject({
      code: 'MC-PROMOTE-UNREACHABLE',
      to: 'staging',
    });
  });
});

describe('promotion', () => {
  it('is blocked inside a freeze window, naming it, and the image stays verified', async () => {
    // Prepare
    const client = registry.client();
    const { event, reference, image } = await pushed(client, 'dev', 'frozen');
    await signAndAttest(client, reference, key.privateKey);
    const a = admission();
    a.setNow(new Date('2026-12-24T12:00:00Z'));
    a.setFreezeWindows(`apiVersion: policy.maestro.dev/v1
kind: FreezeWindows
windows:
  - {name: year-end, from: 2026-12-20T00:00:00Z, to: 2027-01-04T00:00:00Z, applies_to: [staging, prod]}
`);

    // Act
    const result = await run(a, event);

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.states.at(-1)).toBe('Verified, promotion blocked');
    expect(detailOf(result.events, 'MC Image Promotion Blocked')).toMatchObject({
      code: 'MC-PROMOTE-FREEZE',
      window: 'year-end',
      to: 'staging',
    });
    expect(await registry.client().resolve('staging/api', image.digest)).toBeUndefined();
  });

  it('is blocked by the kill switch, which says so', async () => {
    // Prepare
    const client = registry.client();
    const { event, reference } = await pushed(client, 'dev', 'killed');
    await signAndAttest(client, reference, key.privateKey);
    const a = admission();
    a.setKillSwitch('false');

    // Act
    const result = await run(a, event);

    // Assess
    expect(detailOf(result.events, 'MC Image Promotion Blocked')).toMatchObject({
      code: 'MC-PROMOTE-KILL-SWITCH',
      reason: expect.stringMatching(/promotion is switched off \(MC_PROMOTE=false/),
    });
  });

  it('goes through the referrers API where the registry has one', async () => {
    // Prepare
    const front = await startReferrersFront(registry.host);
    try {
      const client = new RegistryClient(front.host, { insecure: true });
      const { event, reference, image } = await pushed(client, 'dev', 'referrers');
      await signAndAttest(client, reference, key.privateKey);
      const a = admission(front.host);

      // Act
      const result = await run(a, event);

      // Assess
      expect(result.states.at(-1)).toBe('Promoted');
      expect(front.requests).toContain(`GET /v2/dev/api/referrers/${image.digest}`);
      expect(front.requests).not.toContain(`GET /v2/dev/api/manifests/${image.digest.replace(':', '-')}`);
    } finally {
      await front.close();
    }
  });
});

describe('rollback', () => {
  it('re-points the environment tag to the last good digest, and a second rollback goes further back', async () => {
    // Prepare: three good images promoted to staging in turn.
    const client = registry.client();
    const a = admission();
    const digests: string[] = [];
    for (const tag of ['r1', 'r2', 'r3']) {
      const { event, reference, image } = await pushed(client, 'dev', tag);
      await signAndAttest(client, reference, key.privateKey);
      a.setNow(new Date(Date.now() + digests.length * 1000));
      expect((await run(a, event)).states.at(-1)).toBe('Promoted');
      digests.push(image.digest);
    }

    // Act
    a.setNow(new Date(Date.now() + 10_000));
    const first = await rollback(a.deps, 'api', 'staging');
    a.setNow(new Date(Date.now() + 20_000));
    const second = await rollback(a.deps, 'api', 'staging');

    // Assess
    expect(first).toMatchObject({ from: digests[2], to: digests[1], tag: 'current' });
    expect(second).toMatchObject({ from: digests[1], to: digests[0] });
    expect((await registry.client().resolve('staging/api', 'current'))?.digest).toBe(digests[0]);
  });
});
