import { createHash } from 'node:crypto';
import { anonymous, parseBearerChallenge, type RegistryAuth } from './auth.js';
import { RegistryError } from './errors.js';
import { MANIFEST_ACCEPT, MEDIA_TYPES } from './media-types.js';

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly artifactType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A manifest as the registry stored it: its exact bytes (what the digest covers) and parsed. */
export interface Manifest {
  readonly mediaType: string;
  readonly digest: string;
  readonly bytes: Buffer;
  readonly json: {
    readonly mediaType?: string;
    readonly artifactType?: string;
    readonly config?: Descriptor;
    readonly layers?: readonly Descriptor[];
    readonly manifests?: readonly Descriptor[];
    readonly subject?: Descriptor;
    readonly annotations?: Readonly<Record<string, string>>;
  };
}

export interface RegistryClientOptions {
  /** Speak plain HTTP (loopback test registries); without it only HTTPS is used. */
  readonly insecure?: boolean;
  readonly auth?: RegistryAuth;
  /** How often a request that found the registry unreachable is tried again (default 2). */
  readonly retries?: number;
  readonly fetch?: typeof fetch;
}

export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * The OCI distribution API for one registry. Content is addressed by digest, so every manifest
 * and blob read by digest is fetched once per client and checked against its digest; a
 * verification uses one client, so it fetches each thing once.
 */
export class RegistryClient {
  /** Every request sent, as `METHOD path` (for the benchmark and tests). */
  readonly requests: string[] = [];
  private readonly base: string;
  private readonly manifests = new Map<string, Promise<Manifest>>();
  private readonly blobs = new Map<string, Promise<Buffer>>();
  private readonly tokens = new Map<string, string>();
  private referrersApi: boolean | undefined;

  constructor(
    readonly registry: string,
    private readonly options: RegistryClientOptions = {},
  ) {
    this.base = `${options.insecure ? 'http' : 'https'}://${registry}`;
  }

  /** A manifest by tag or digest; by digest it is cached and its bytes checked. */
  manifest(repository: string, reference: string): Promise<Manifest> {
    const key = `${repository}@${reference}`;
    const cached = this.manifests.get(key);
    if (cached) return cached;
    const fetching = this.fetchManifest(repository, reference);
    if (reference.startsWith('sha256:')) {
      this.manifests.set(key, fetching);
      fetching.catch(() => this.manifests.delete(key));
    }
    return fetching;
  }

  /** The digest a tag points at, or undefined when there is no such tag. */
  async resolve(repository: string, reference: string): Promise<Descriptor | undefined> {
    const response = await this.send('HEAD', `/v2/${repository}/manifests/${reference}`, {
      headers: { accept: MANIFEST_ACCEPT },
    });
    if (response.status === 404) return undefined;
    await this.expectOk(response, `manifest ${repository}:${reference}`);
    const digest = response.headers.get('docker-content-digest');
    if (!digest) return sha256Ref(await this.manifest(repository, reference));
    return {
      digest,
      mediaType: response.headers.get('content-type') ?? MEDIA_TYPES.ociManifest,
      size: Number(response.headers.get('content-length') ?? 0),
    };
  }

  blob(repository: string, digest: string): Promise<Buffer> {
    const cached = this.blobs.get(digest);
    if (cached) return cached;
    const fetching = (async () => {
      const response = await this.send('GET', `/v2/${repository}/blobs/${digest}`);
      await this.expectOk(response, `blob ${digest} in ${repository}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      if (sha256Digest(bytes) !== digest)
        throw new RegistryError(
          'BAD_RESPONSE',
          `${this.registry}/${repository}: blob ${digest} has other content`,
        );
      return bytes;
    })();
    this.blobs.set(digest, fetching);
    fetching.catch(() => this.blobs.delete(digest));
    return fetching;
  }

  /** Uploads a blob unless the repository has it already (monolithic upload). */
  async putBlob(repository: string, bytes: Buffer, mediaType: string): Promise<Descriptor> {
    const digest = sha256Digest(bytes);
    const descriptor = { mediaType, digest, size: bytes.length };
    const head = await this.send('HEAD', `/v2/${repository}/blobs/${digest}`);
    if (head.ok) return descriptor;
    const start = await this.send('POST', `/v2/${repository}/blobs/uploads/`);
    await this.expectOk(start, `an upload to ${repository}`);
    const location = start.headers.get('location');
    if (!location) throw new RegistryError('BAD_RESPONSE', `${this.registry}: an upload without a Location`);
    const url = new URL(location, this.base);
    if (url.origin !== new URL(this.base).origin)
      throw new RegistryError(
        'BAD_RESPONSE',
        `${this.registry}: the upload location points at ${url.origin}`,
      );
    url.searchParams.set('digest', digest);
    const put = await this.send('PUT', `${url.pathname}${url.search}`, {
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    await this.expectOk(put, `blob ${digest} into ${repository}`);
    this.blobs.set(digest, Promise.resolve(bytes));
    return descriptor;
  }

  async putManifest(
    repository: string,
    reference: string,
    bytes: Buffer,
    mediaType: string,
  ): Promise<Descriptor> {
    const response = await this.send('PUT', `/v2/${repository}/manifests/${reference}`, {
      headers: { 'content-type': mediaType },
      body: bytes,
    });
    await this.expectOk(response, `manifest ${repository}:${reference}`);
    return { mediaType, digest: sha256Digest(bytes), size: bytes.length };
  }

  /**
   * The manifests that name `digest` as their subject: the referrers API where the registry has
   * one, else the OCI fallback tag `sha256-<hex>` (an index of them), else none.
   */
  async referrers(repository: string, digest: string): Promise<Descriptor[]> {
    if (this.referrersApi !== false) {
      const response = await this.send('GET', `/v2/${repository}/referrers/${digest}`, {
        headers: { accept: MEDIA_TYPES.ociIndex },
      });
      if (response.ok) {
        this.referrersApi = true;
        return [...((await this.json(response, 'the referrers')).manifests ?? [])];
      }
      if (response.status !== 404) await this.expectOk(response, `the referrers of ${digest}`);
      this.referrersApi = false;
    }
    try {
      const index = await this.manifest(repository, fallbackTag(digest));
      return [...(index.json.manifests ?? [])];
    } catch (error) {
      if (error instanceof RegistryError && error.code === 'NOT_FOUND') return [];
      throw error;
    }
  }

  /** Whether the registry answers the referrers API (known after the first referrers call). */
  hasReferrersApi(): boolean | undefined {
    return this.referrersApi;
  }

  /**
   * Pushes a manifest that names a subject. A registry without the referrers API learns of it
   * through the fallback tag's index, which is read, extended and written back. The distribution
   * API has no conditional write for tags, so writers of one index take turns within a process,
   * and each reads the index back after writing, merging again if another writer's index replaced
   * its own (cosign's tag scheme has the same race; registries with the referrers API have none).
   */
  async putReferrer(
    repository: string,
    bytes: Buffer,
    mediaType: string,
    subject: string,
  ): Promise<Descriptor> {
    const pushed = await this.putManifest(repository, sha256Digest(bytes), bytes, mediaType);
    const manifest = JSON.parse(bytes.toString('utf8')) as Manifest['json'];
    // Whether the registry has the referrers API is learnt once per client.
    if (this.referrersApi === undefined) await this.referrers(repository, subject);
    if (this.referrersApi) return pushed;
    const entry: Descriptor = {
      ...pushed,
      ...(manifest.artifactType ? { artifactType: manifest.artifactType } : {}),
      ...(manifest.annotations ? { annotations: manifest.annotations } : {}),
    };
    await inTurn(`${this.registry}/${repository}:${fallbackTag(subject)}`, async () => {
      for (let attempt = 0; attempt < FALLBACK_WRITES; attempt++) {
        const existing = await this.fallbackIndex(repository, subject);
        if (attempt > 0 && existing.some((d) => d.digest === pushed.digest)) return;
        const index = Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: MEDIA_TYPES.ociIndex,
            manifests: [...existing.filter((d) => d.digest !== pushed.digest), entry],
          }),
        );
        await this.putManifest(repository, fallbackTag(subject), index, MEDIA_TYPES.ociIndex);
      }
      const final = await this.fallbackIndex(repository, subject);
      if (!final.some((d) => d.digest === pushed.digest))
        throw new RegistryError(
          'BAD_RESPONSE',
          `${this.registry}/${repository}: other writers kept replacing the referrers index ${fallbackTag(subject)}`,
        );
    });
    return pushed;
  }

  // The fallback tag's index as the registry holds it now (never from the cache: it changes).
  private async fallbackIndex(repository: string, subject: string): Promise<Descriptor[]> {
    try {
      return [...((await this.fetchManifest(repository, fallbackTag(subject))).json.manifests ?? [])];
    } catch (error) {
      if (error instanceof RegistryError && error.code === 'NOT_FOUND') return [];
      throw error;
    }
  }

  private async fetchManifest(repository: string, reference: string): Promise<Manifest> {
    const response = await this.send('GET', `/v2/${repository}/manifests/${reference}`, {
      headers: { accept: MANIFEST_ACCEPT },
    });
    await this.expectOk(response, `manifest ${repository}:${reference}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    const digest = sha256Digest(bytes);
    if (reference.startsWith('sha256:') && reference !== digest)
      throw new RegistryError(
        'BAD_RESPONSE',
        `${this.registry}/${repository}: manifest ${reference} has other content (${digest})`,
      );
    let json: Manifest['json'];
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new RegistryError(
        'BAD_RESPONSE',
        `${this.registry}/${repository}: manifest ${reference} is not JSON`,
      );
    }
    const mediaType =
      json.mediaType ?? response.headers.get('content-type')?.split(';')[0] ?? MEDIA_TYPES.ociManifest;
    return { mediaType, digest, bytes, json };
  }

  private async json(response: Response, what: string): Promise<Manifest['json']> {
    try {
      return (await response.json()) as Manifest['json'];
    } catch {
      throw new RegistryError('BAD_RESPONSE', `${this.registry}: ${what} is not JSON`);
    }
  }

  private async expectOk(response: Response, what: string): Promise<void> {
    if (response.ok) return;
    const body = await response.text().catch(() => '');
    const detail = /"message"\s*:\s*"([^"]*)"/.exec(body)?.[1] ?? body.slice(0, 200);
    if (response.status === 404)
      throw new RegistryError('NOT_FOUND', `${this.registry}: no ${what}${detail ? ` (${detail})` : ''}`);
    if (response.status === 401 || response.status === 403)
      throw new RegistryError('DENIED', `${this.registry}: access to ${what} denied (${response.status})`);
    if (response.status >= 500 || response.status === 429)
      throw new RegistryError('UNREACHABLE', `${this.registry}: ${what}: ${response.status} ${detail}`);
    throw new RegistryError('BAD_RESPONSE', `${this.registry}: ${what}: ${response.status} ${detail}`);
  }

  /** One request, authenticated as the registry asks (bearer challenge or basic), retried while unreachable. */
  private async send(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: Buffer } = {},
  ): Promise<Response> {
    const retries = this.options.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.authenticated(method, path, init);
      } catch (error) {
        if (!(error instanceof RegistryError && error.code === 'UNREACHABLE') || attempt >= retries)
          throw error;
      }
    }
  }

  private async authenticated(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: Buffer },
  ): Promise<Response> {
    const scope = scopeOf(path, method);
    const token = this.tokens.get(scope);
    const first = await this.raw(method, path, init, token ? `Bearer ${token}` : undefined);
    if (first.status !== 401) return first;
    const challenge = first.headers.get('www-authenticate') ?? '';
    await first.arrayBuffer().catch(() => undefined);
    const auth = this.options.auth ?? anonymous;
    const bearer = parseBearerChallenge(challenge);
    if (bearer) {
      const fresh = await this.bearerToken(bearer, scope, auth);
      this.tokens.set(scope, fresh);
      return this.raw(method, path, init, `Bearer ${fresh}`);
    }
    const basic = await auth.basic();
    if (!basic) return first;
    return this.raw(
      method,
      path,
      init,
      `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`,
    );
  }

  private async bearerToken(
    challenge: Record<string, string>,
    scope: string,
    auth: RegistryAuth,
  ): Promise<string> {
    const url = new URL(challenge.realm);
    if (url.protocol !== 'https:' && !this.options.insecure)
      throw new RegistryError('INSECURE', `${this.registry}: the token service ${url.origin} is not HTTPS`);
    if (challenge.service) url.searchParams.set('service', challenge.service);
    url.searchParams.set('scope', challenge.scope ?? scope);
    const basic = await auth.basic();
    const headers: Record<string, string> = basic
      ? { authorization: `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}` }
      : {};
    const response = await (this.options.fetch ?? fetch)(url, { headers });
    if (!response.ok)
      throw new RegistryError('DENIED', `${this.registry}: the token service answered ${response.status}`);
    const body = (await response.json().catch(() => ({}))) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError('DENIED', `${this.registry}: the token service gave no token`);
    return token;
  }

  private async raw(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: Buffer },
    authorization: string | undefined,
  ): Promise<Response> {
    this.requests.push(`${method} ${path.split('?')[0]}`);
    try {
      return await (this.options.fetch ?? fetch)(`${this.base}${path}`, {
        method,
        headers: { ...init.headers, ...(authorization ? { authorization } : {}) },
        ...(init.body ? { body: init.body } : {}),
        redirect: 'follow',
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new RegistryError(
        'UNREACHABLE',
        `${this.registry} is unreachable (${cause})${this.options.insecure ? '' : '; a plain-HTTP registry needs --insecure-registry'}`,
        { cause: error },
      );
    }
  }
}

/** How often a fallback index is written before mc gives up on a registry's other writers. */
const FALLBACK_WRITES = 5;
const turns = new Map<string, Promise<unknown>>();

// Runs `work` after every earlier work of the same key in this process has finished.
async function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
  const before = turns.get(key) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(work);
  turns.set(key, mine);
  try {
    return await mine;
  } finally {
    if (turns.get(key) === mine) turns.delete(key);
  }
}

/** The OCI 1.1 fallback tag under which a registry without the referrers API lists a digest's referrers. */
export function fallbackTag(digest: string): string {
  return digest.replace(':', '-');
}

function scopeOf(path: string, method: string): string {
  const repository = /^\/v2\/(.+?)\/(?:manifests|blobs|referrers|tags)\//.exec(path)?.[1] ?? '';
  return `repository:${repository}:${method === 'GET' || method === 'HEAD' ? 'pull' : 'pull,push'}`;
}

function sha256Ref(manifest: Manifest): Descriptor {
  return { digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.bytes.length };
}
