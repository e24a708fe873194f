import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Descriptor, MEDIA_TYPES, RegistryClient, sha256Digest } from '../../lib/registry/index.js';

/** A real OCI registry (Debian's `docker-registry`, CNCF distribution 2.8) on a random loopback port. */
export interface TestRegistry {
  /** `127.0.0.1:<port>`, the host part of image references. */
  readonly host: string;
  client(): RegistryClient;
  /** Stops it answering (connections are refused) until `resume()`; its storage is kept. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

const START_DEADLINE_MS = 15_000;

/** Starts `docker-registry serve` with a filesystem root in a temp dir; resolves once it listens. */
export async function startRegistry(): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'mc-registry-'));
  let child = await serve(dir, '127.0.0.1:0');
  const host = child.host;
  return {
    host,
    client: () => new RegistryClient(host, { insecure: true, retries: 0 }),
    pause: async () => stop(child.process),
    resume: async () => {
      child = await serve(dir, host);
    },
    close: async () => {
      await stop(child.process);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function serve(dir: string, addr: string): Promise<{ process: ChildProcess; host: string }> {
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log: {level: info}',
      `storage: {filesystem: {rootdirectory: ${join(dir, 'data')}}, delete: {enabled: true}}`,
      `http: {addr: "${addr}", secret: mc-test}`,
      '',
    ].join('\n'),
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`docker-registry did not start in time:\n${output}`)),
      START_DEADLINE_MS,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const listening = /listening on (127\.0\.0\.1:\d+)/.exec(output);
      if (!listening) return;
      clearTimeout(timer);
      child.stdout?.off('data', read);
      child.stderr?.off('data', read);
      child.stdout?.resume();
      child.stderr?.resume();
      resolve({ process: child, host: listening[1] });
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('error', (error) =>
      fail(new Error(`cannot start docker-registry (apt-get install -y docker-registry): ${error.message}`)),
    );
    child.once('exit', (code) => fail(new Error(`docker-registry exited with ${code}:\n${output}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

/**
 * A front for a registry that serves the OCI 1.1 referrers API, as registries that have one do
 * (docker-registry 2.8 has none): it forwards everything and remembers each manifest pushed
 * through it that names a subject, so `GET /v2/<repo>/referrers/<digest>` lists them.
 */
export async function startReferrersFront(
  backend: string,
  options: FrontOptions = {},
): Promise<{ host: string; requests: string[]; close(): Promise<void> }> {
  const referrers = new Map<string, Descriptor[]>();
  const requests: string[] = [];
  let host = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? '/';
      requests.push(`${req.method} ${path.split('?')[0]}`);
      if (options.bearer && !authorized(req.headers.authorization, options.bearer, path, res, host)) return;
      const asked = /^\/v2\/(.+)\/referrers\/(sha256:[0-9a-f]{64})/.exec(path);
      if (asked && req.method === 'GET') {
        res.writeHead(200, { 'content-type': MEDIA_TYPES.ociIndex });
        res.end(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: MEDIA_TYPES.ociIndex,
            manifests: referrers.get(`${asked[1]}@${asked[2]}`) ?? [],
          }),
        );
        return;
      }
      const pushed = /^\/v2\/(.+)\/manifests\/[^/]+$/.exec(path);
      if (pushed && req.method === 'PUT') remember(pushed[1], body, String(req.headers['content-type']));
      const forward = request(
        {
          host: '127.0.0.1',
          port: Number(backend.split(':')[1]),
          path,
          method: req.method,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  const remember = (repository: string, bytes: Buffer, mediaType: string) => {
    const manifest = JSON.parse(bytes.toString('utf8')) as {
      subject?: Descriptor;
      artifactType?: string;
      annotations?: Record<string, string>;
    };
    if (!manifest.subject) return;
    const key = `${repository}@${manifest.subject.digest}`;
    const list = referrers.get(key) ?? [];
    list.push({
      mediaType,
      digest: sha256Digest(bytes),
      size: bytes.length,
      ...(manifest.artifactType ? { artifactType: manifest.artifactType } : {}),
      ...(manifest.annotations ? { annotations: manifest.annotations } : {}),
    });
    referrers.set(key, list);
  };
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    requests,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

export interface FrontOptions {
  /** Demand a bearer token, issued by the front's `/token` to these basic credentials (the registry token flow). */
  readonly bearer?: { readonly username: string; readonly password: string };
}

const TOKEN = 'test-registry-token';

// The token flow of the distribution spec: 401 with a Bearer challenge naming /token; /token wants
// basic credentials and answers `{"token": …}`.
function authorized(
  header: string | undefined,
  bearer: NonNullable<FrontOptions['bearer']>,
  path: string,
  res: import('node:http').ServerResponse,
  host: string,
): boolean {
  if (path.startsWith('/token')) {
    const expected = `Basic ${Buffer.from(`${bearer.username}:${bearer.password}`).toString('base64')}`;
    const scope = new URL(path, `http://${host}`).searchParams.get('scope');
    if (header !== expected || !scope) {
      res.writeHead(401);
      res.end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token: TOKEN }));
    }
    return false;
  }
  if (header === `Bearer ${TOKEN}`) return true;
  res.writeHead(401, {
    'www-authenticate': `Bearer realm="http://${host}/token",service="test-registry",scope="repository:any:pull"`,
    'content-type': 'application/json',
  });
  res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
  return false;
}

/**
 * Builds a small OCI image in memory (a config and one gzipped layer holding `content`) and pushes
 * it through the distribution API, tagged; returns the manifest's descriptor.
 */
export async function pushTestImage(
  client: RegistryClient,
  repository: string,
  tag: string,
  content = `image ${repository}:${tag}`,
): Promise<Descriptor> {
  const layer = await client.putBlob(
    repository,
    gzipSync(tarOf('hello.txt', Buffer.from(content))),
    'application/vnd.oci.image.layer.v1.tar+gzip',
  );
  const config = await client.putBlob(
    repository,
    Buffer.from(
      JSON.stringify({
        architecture: 'arm64',
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: [] },
        config: { Cmd: ['cat', '/hello.txt'] },
      }),
    ),
    'application/vnd.oci.image.config.v1+json',
  );
  const manifest = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociManifest, config, layers: [layer] }),
  );
  return client.putManifest(repository, tag, manifest, MEDIA_TYPES.ociManifest);
}

// A one-file POSIX tar (ustar header, the content padded to 512 bytes, two empty end blocks).
function tarOf(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const padded = Buffer.alloc(Math.ceil(content.length / 512) * 512);
  content.copy(padded);
  return Buffer.concat([header, padded, Buffer.alloc(1024)]);
}
