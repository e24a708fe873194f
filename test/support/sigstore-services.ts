import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fulcioHandler, initializeCA, initializeCTLog } from '@sigstore/mock/dist/fulcio/index.js';
import { initializeTLog, rekorHandler } from '@sigstore/mock/dist/rekor/index.js';
import type { Handler } from '@sigstore/mock/dist/shared.types.js';
import { initializeTSA, tsaHandler } from '@sigstore/mock/dist/timestamp/index.js';
import { generateKeyPair } from '@sigstore/mock/dist/util/key.js';
import { rekorV2Log } from './rekor-v2.js';

/** A validity window as a trusted root states it; `start: null` leaves the start out. */
export interface Window {
  readonly start?: Date | null;
  readonly end?: Date;
}

export interface RootShape {
  readonly ca?: Window;
  readonly tlog?: Window;
  readonly ctlog?: Window;
  readonly tsa?: Window;
}

export interface SigstoreServices {
  readonly url: string;
  /** An OIDC identity token with these claims, as GitHub Actions would mint one (unsigned here: Fulcio's stand-in decodes it). */
  token(claims: Record<string, string>): string;
  /** A `trusted_root.json` for this instance's CA, logs and timestamp authority. */
  trustedRoot(shape?: RootShape): object;
  close(): Promise<void>;
}

const HOUR = 3_600_000;

/**
 * A private Sigstore instance for tests: a test CA with a CT log (Fulcio), a transparency log
 * (Rekor v1 and v2) and a timestamp authority, served over real HTTP on a random loopback port by
 * @sigstore/mock's handlers (Rekor v2: ./rekor-v2.ts). Nothing here touches the network.
 * `caClock` makes the CA issue certificates as at that time.
 */
export async function startSigstoreServices(
  options: { readonly caClock?: Date } = {},
): Promise<SigstoreServices> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ctlog = await initializeCTLog(generateKeyPair());
  const ca = await initializeCA(generateKeyPair(), ctlog, options.caClock);
  const tlogKeys = generateKeyPair();
  const tlog = await initializeTLog(url, tlogKeys);
  const tsa = await initializeTSA(generateKeyPair(), new WholeSecondsNow());
  const handlers: Handler[] = [
    fulcioHandler(ca),
    rekorHandler(tlog),
    { path: '/api/v2/log/entries', fn: rekorV2Log(new URL(url).host, tlog.publicKey, tlogKeys.privateKey) },
    tsaHandler(tsa),
  ];
  server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const handler = handlers.find((h) => req.method === 'POST' && req.url === h.path);
      if (!handler) {
        res.writeHead(404).end();
        return;
      }
      const { statusCode, response, contentType } = await handler.fn(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(statusCode, { 'content-type': contentType ?? 'text/plain' }).end(response);
    });
  });
  const der = (bytes: ArrayBufferView) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const window = (w: Window | undefined) => {
    const start = w?.start === null ? undefined : (w?.start ?? new Date(Date.now() - HOUR));
    return {
      ...(start ? { start: start.toISOString() } : {}),
      ...(w?.end ? { end: w.end.toISOString() } : {}),
    };
  };
  const b64 = (bytes: Buffer) => bytes.toString('base64');
  return {
    url,
    token: (claims) => {
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      return `${part({ alg: 'none', typ: 'JWT' })}.${part({ aud: 'sigstore', ...claims })}.`;
    },
    trustedRoot: (shape = {}) => ({
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [
        {
          baseUrl: url,
          hashAlgorithm: 'SHA2_256',
          publicKey: {
            rawBytes: b64(tlog.publicKey),
            keyDetails: 'PKIX_ECDSA_P256_SHA_256',
            validFor: window(shape.tlog),
          },
          logId: { keyId: b64(createHash('sha256').update(tlog.publicKey).digest()) },
        },
      ],
      certificateAuthorities: [
        {
          subject: { organization: 'mc test', commonName: 'mc test CA' },
          uri: url,
          certChain: { certificates: [{ rawBytes: b64(der(ca.rootCertificate)) }] },
          validFor: window(shape.ca),
        },
      ],
      ctlogs: [
        {
          baseUrl: url,
          hashAlgorithm: 'SHA2_256',
          publicKey: {
            rawBytes: b64(ctlog.publicKey),
            keyDetails: 'PKIX_ECDSA_P256_SHA_256',
            validFor: window(shape.ctlog),
          },
          logId: { keyId: b64(der(ctlog.logID)) },
        },
      ],
      timestampAuthorities: [
        {
          subject: { organization: 'mc test', commonName: 'mc test TSA' },
          uri: url,
          certChain: {
            certificates: [
              { rawBytes: b64(der(tsa.intCertificate)) },
              { rawBytes: b64(der(tsa.rootCertificate)) },
            ],
          },
          validFor: window(shape.tsa),
        },
      ],
    }),
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/**
 * "Now", to the whole second. DER writes a time's fraction without trailing zeros (…12.5Z), which
 * @sigstore/core cannot parse; a timestamp authority stamping whole seconds never writes one.
 */
class WholeSecondsNow extends Date {
  private now(): Date {
    return new Date(Math.floor(Date.now() / 1000) * 1000);
  }
  override getTime(): number {
    return this.now().getTime();
  }
  override valueOf(): number {
    return this.getTime();
  }
  override getUTCFullYear(): number {
    return this.now().getUTCFullYear();
  }
  override getUTCMonth(): number {
    return this.now().getUTCMonth();
  }
  override getUTCDate(): number {
    return this.now().getUTCDate();
  }
  override getUTCHours(): number {
    return this.now().getUTCHours();
  }
  override getUTCMinutes(): number {
    return this.now().getUTCMinutes();
  }
  override getUTCSeconds(): number {
    return this.now().getUTCSeconds();
  }
  override getUTCMilliseconds(): number {
    return 0;
  }
}
