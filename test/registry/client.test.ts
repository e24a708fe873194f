import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  basicAuth,
  copyImage,
  ecrAuth,
  fallbackTag,
  MEDIA_TYPES,
  parseReference,
  RegistryClient,
  RegistryError,
} from '../../lib/registry/index.js';
import { pushTestImage, startReferrersFront, startRegistry, type TestRegistry } from '../support/registry.js';

let registry: TestRegistry;

beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry?.close();
});

const artifact = (subject: { digest: string; size: number; mediaType: string }, configDigest: string) =>
  Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      artifactType: 'application/vnd.example+json',
      config: { mediaType: MEDIA_TYPES.ociEmpty, digest: configDigest, size: 2 },
      layers: [],
      subject,
      annotations: { note: 'hello' },
    }),
  );

describe('the registry client against docker-registry', () => {
  it('pushes an image and reads it back by tag and by digest, each digest fetched once', async () => {
    // Prepare
    const client = registry.client();
    const pushed = await pushTestImage(client, 'team/api', 'v1');

    // Act
    const resolved = await client.resolve('team/api', 'v1');
    const first = await client.manifest('team/api', pushed.digest);
    const again = await client.manifest('team/api', pushed.digest);
    const config = await client.blob('team/api', first.json.config?.digest as string);
    await client.blob('team/api', first.json.config?.digest as string);

    // Assess
    expect(resolved?.digest).toBe(pushed.digest);
    expect(again).toBe(first);
    expect(JSON.parse(config.toString('utf8')).os).toBe('linux');
    expect(client.requests.filter((r) => r === `GET /v2/team/api/manifests/${pushed.digest}`)).toHaveLength(
      1,
    );
    expect(client.requests.filter((r) => r.startsWith('GET /v2/team/api/blobs/'))).toHaveLength(0);
    expect(await client.resolve('team/api', 'no-such-tag')).toBeUndefined();
  });

  it('lists referrers through the fallback tag, since it has no referrers API', async () => {
    // Prepare
    const client = registry.client();
    const image = await pushTestImage(client, 'team/web', 'v1');
    const empty = await client.putBlob('team/web', Buffer.from('{}'), MEDIA_TYPES.ociEmpty);

    // Act
    const referrer = await client.putReferrer(
      'team/web',
      artifact(image, empty.digest),
      MEDIA_TYPES.ociManifest,
      image.digest,
    );
    const found = await registry.client().referrers('team/web', image.digest);

    // Assess
    expect(client.hasReferrersApi()).toBe(false);
    expect(found).toEqual([
      expect.objectContaining({
        digest: referrer.digest,
        artifactType: 'application/vnd.example+json',
        annotations: { note: 'hello' },
      }),
    ]);
    expect(await client.resolve('team/web', fallbackTag(image.digest))).toBeDefined();
  });

  it('keeps every referrer when many are attached at once (the fallback index is rewritten in turn)', async () => {
    // Prepare
    const image = await pushTestImage(registry.client(), 'team/busy', 'v1');
    const empty = await registry.client().putBlob('team/busy', Buffer.from('{}'), MEDIA_TYPES.ociEmpty);
    const manifests = Array.from({ length: 8 }, (_, i) => {
      const json = JSON.parse(artifact(image, empty.digest).toString('utf8'));
      return Buffer.from(JSON.stringify({ ...json, annotations: { note: `n${i}` } }));
    });

    // Act: each through its own client, as parallel pipeline steps do.
    await Promise.all(
      manifests.map((m) =>
        registry.client().putReferrer('team/busy', m, MEDIA_TYPES.ociManifest, image.digest),
      ),
    );

    // Assess
    expect(await registry.client().referrers('team/busy', image.digest)).toHaveLength(8);
  });

  it('copies an image with its referrers into another repository, keeping the digest', async () => {
    // Prepare
    const client = registry.client();
    const image = await pushTestImage(client, 'dev/api', 'v2', 'copied content');
    const empty = await client.putBlob('dev/api', Buffer.from('{}'), MEDIA_TYPES.ociEmpty);
    await client.putReferrer('dev/api', artifact(image, empty.digest), MEDIA_TYPES.ociManifest, image.digest);

    // Act
    const copied = await copyImage(
      client,
      'dev/api',
      image.digest,
      { client, repository: 'staging/api', tags: ['current', 'v2'] },
      { referrers: true },
    );

    // Assess
    const reader = registry.client();
    expect(copied.digest).toBe(image.digest);
    expect((await reader.resolve('staging/api', 'current'))?.digest).toBe(image.digest);
    expect((await reader.resolve('staging/api', 'v2'))?.digest).toBe(image.digest);
    expect(await reader.referrers('staging/api', image.digest)).toHaveLength(1);
    const layer = (await reader.manifest('staging/api', image.digest)).json.layers?.[0];
    expect((await reader.blob('staging/api', layer?.digest as string)).length).toBeGreaterThan(0);
  });

  it('reads and copies an image index and a Docker v2 manifest, with every manifest they reference', async () => {
    // Prepare: a Docker v2 manifest, and an OCI index of it and an OCI manifest.
    const client = registry.client();
    const oci = await pushTestImage(client, 'multi/app', 'arm64', 'arm64 content');
    const ociManifest = await client.manifest('multi/app', oci.digest);
    const docker = Buffer.from(
      JSON.stringify({ ...ociManifest.json, mediaType: MEDIA_TYPES.dockerManifest, schemaVersion: 2 }),
    );
    const dockerDescriptor = await client.putManifest(
      'multi/app',
      'amd64',
      docker,
      MEDIA_TYPES.dockerManifest,
    );
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociIndex,
        manifests: [
          { ...oci, platform: { os: 'linux', architecture: 'arm64' } },
          { ...dockerDescriptor, platform: { os: 'linux', architecture: 'amd64' } },
        ],
      }),
    );
    const pushed = await client.putManifest('multi/app', 'v1', index, MEDIA_TYPES.ociIndex);

    // Act
    const read = await registry.client().manifest('multi/app', 'v1');
    await copyImage(client, 'multi/app', pushed.digest, { client, repository: 'multi/copy', tags: ['v1'] });

    // Assess
    expect(read).toMatchObject({ mediaType: MEDIA_TYPES.ociIndex, digest: pushed.digest });
    const reader = registry.client();
    expect((await reader.resolve('multi/copy', 'v1'))?.digest).toBe(pushed.digest);
    expect((await reader.manifest('multi/copy', dockerDescriptor.digest)).mediaType).toBe(
      MEDIA_TYPES.dockerManifest,
    );
    expect((await reader.manifest('multi/copy', oci.digest)).json.layers).toHaveLength(1);
  });

  it('says a missing manifest is not found', async () => {
    const error = await registry
      .client()
      .manifest('team/api', `sha256:${'0'.repeat(64)}`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).code).toBe('NOT_FOUND');
  });
});

describe('a registry with the referrers API', () => {
  it('is asked for referrers, and no fallback tag is written', async () => {
    // Prepare
    const front = await startReferrersFront(registry.host);
    try {
      const client = new RegistryClient(front.host, { insecure: true });
      const image = await pushTestImage(client, 'team/nlq', 'v1');
      const empty = await client.putBlob('team/nlq', Buffer.from('{}'), MEDIA_TYPES.ociEmpty);

      // Act
      const referrer = await client.putReferrer(
        'team/nlq',
        artifact(image, empty.digest),
        MEDIA_TYPES.ociManifest,
        image.digest,
      );
      const found = await new RegistryClient(front.host, { insecure: true }).referrers(
        'team/nlq',
        image.digest,
      );

      // Assess
      expect(client.hasReferrersApi()).toBe(true);
      expect(found.map((d) => d.digest)).toEqual([referrer.digest]);
      expect(await client.resolve('team/nlq', fallbackTag(image.digest))).toBeUndefined();
    } finally {
      await front.close();
    }
  });
});

describe('authentication', () => {
  it('answers a bearer challenge with a token fetched with the basic credentials, once per scope', async () => {
    // Prepare
    const front = await startReferrersFront(registry.host, {
      bearer: { username: 'ci', password: 's3cret' },
    });
    try {
      const client = new RegistryClient(front.host, { insecure: true, auth: basicAuth('ci', 's3cret') });

      // Act
      const image = await pushTestImage(client, 'team/auth', 'v1');
      await client.manifest('team/auth', image.digest);
      await client.resolve('team/auth', 'v1');

      // Assess
      expect(front.requests.filter((r) => r === 'GET /token').length).toBe(2); // pull, and pull+push
      const refused = new RegistryClient(front.host, { insecure: true, auth: basicAuth('ci', 'wrong') });
      await expect(refused.resolve('team/auth', 'v1')).rejects.toThrow(/token service answered 401/);
    } finally {
      await front.close();
    }
  });

  it('takes ECR credentials from GetAuthorizationToken and reuses them until shortly before they expire', async () => {
    // Prepare: no ECR emulator exists; this stand-in answers as ECR does.
    let calls = 0;
    let now = new Date('2026-12-01T10:00:00Z');
    const ecr = {
      send: async (command: unknown) => {
        expect(command).toBeInstanceOf(GetAuthorizationTokenCommand);
        calls++;
        return {
          authorizationData: [
            {
              authorizationToken: Buffer.from('AWS:password-from-ecr').toString('base64'),
              expiresAt: new Date('2026-12-01T22:00:00Z'),
            },
          ],
        };
      },
    };
    const auth = ecrAuth(
      ecr,
      () => new GetAuthorizationTokenCommand({}),
      () => now,
    );

    // Act
    const first = await auth.basic();
    now = new Date('2026-12-01T21:00:00Z');
    await auth.basic();
    now = new Date('2026-12-01T21:58:00Z');
    await auth.basic();

    // Assess
    expect(first).toMatchObject({ username: 'AWS', password: 'password-from-ecr' });
    expect(calls).toBe(2);
  });
});

describe('an unreachable registry', () => {
  it('is tried again, then reported unreachable', async () => {
    // Prepare: a port nothing listens on.
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((done) => server.close(() => done()));
    const client = new RegistryClient(`127.0.0.1:${port}`, { insecure: true, retries: 2 });

    // Act
    const error = await client.resolve('team/api', 'v1').catch((e: unknown) => e);

    // Assess
    expect((error as RegistryError).code).toBe('UNREACHABLE');
    expect(client.requests).toHaveLength(3);
  });

  it('speaks HTTPS unless told otherwise, and says how to reach a plain-HTTP registry', async () => {
    const error = await new RegistryClient(registry.host, { retries: 0 })
      .resolve('team/api', 'v1')
      .catch((e: unknown) => e);
    expect((error as RegistryError).message).toMatch(/needs --insecure-registry/);
  });
});

describe('image references', () => {
  it('reads registry, repository, tag and digest, and refuses what is not one', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseReference(`127.0.0.1:5000/team/api:v1@${digest}`)).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'team/api',
      tag: 'v1',
      digest,
    });
    expect(() => parseReference('api:v1')).toThrow(/no registry host/);
    expect(() => parseReference('r.example/API')).toThrow(/repository "API" is not valid/);
    expect(() => parseReference('r.example/api')).toThrow(/neither a tag nor a digest/);
    expect(() => parseReference('r.example/api@sha256:12')).toThrow(/sha256:<64 hex>/);
  });
});
