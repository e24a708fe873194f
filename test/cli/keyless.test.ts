import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mc } from '../support/cli.js';
import { type SigstoreServices, startSigstoreServices } from '../support/sigstore-services.js';

const IDENTITY = 'https://github.com/acme/api/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

let sigstore: SigstoreServices;
let actions: Server;
let actionsUrl: string;
const tokenRequests: string[] = [];

beforeAll(async () => {
  sigstore = await startSigstoreServices();
  // GitHub Actions' OIDC token service: a bearer-authenticated GET that mints a token for an audience.
  actions = createServer((req, res) => {
    tokenRequests.push(`${req.url} ${req.headers.authorization}`);
    if (req.headers.authorization !== 'bearer runtime-token') return void res.writeHead(403).end();
    const audience = new URL(req.url ?? '', 'http://x').searchParams.get('audience') ?? '';
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ value: sigstore.token({ sub: IDENTITY, iss: ISSUER, aud: audience }) }));
  });
  await new Promise<void>((done) => actions.listen(0, '127.0.0.1', done));
  actionsUrl = `http://127.0.0.1:${(actions.address() as AddressInfo).port}/token?api-version=2.0`;
});
afterAll(async () => {
  await sigstore.close();
  await new Promise((done) => actions.close(done));
});

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'mc-keyless-'));
  writeFileSync(join(dir, 'app.tgz'), 'release bytes\n');
  writeFileSync(join(dir, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot()));
  const env = {
    MC_HOME: join(dir, '.mc'),
    PATH: process.env.PATH ?? '',
    ACTIONS_ID_TOKEN_REQUEST_URL: actionsUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runtime-token',
  };
  return { dir, env };
}

const services = () => ['--fulcio-url', sigstore.url, '--rekor-url', sigstore.url];

describe('mc sign --keyless and offline verification against a trusted root', () => {
  it("signs with GitHub Actions' token, writes bundle, .sig and .pem, and never prints the token", async () => {
    const { dir, env } = workspace();
    const signed = await mc(['sign', 'app.tgz', '--keyless', ...services()], { cwd: dir, env });
    expect(signed).toMatchObject({ code: 0, stderr: '' });
    expect(tokenRequests.at(-1)).toMatch(/audience=sigstore/);
    for (const suffix of ['.sigstore.json', '.sig', '.pem'])
      expect(existsSync(join(dir, `app.tgz${suffix}`))).toBe(true);
    expect(readFileSync(join(dir, 'app.tgz.pem'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const token = sigstore.token({ sub: IDENTITY, iss: ISSUER, aud: 'sigstore' });
    expect(signed.stdout).not.toContain(token.split('.')[1]);
    expect(readFileSync(join(dir, 'app.tgz.sigstore.json'), 'utf8')).not.toContain(token.split('.')[1]);

    const verify = (file: string, flags: string[]) =>
      mc(
        [
          'verify-blob',
          file,
          '--bundle',
          'app.tgz.sigstore.json',
          '--trusted-root',
          'trusted_root.json',
          '--offline',
          ...flags,
        ],
        {
          cwd: dir,
          env,
        },
      );
    const exact = ['--certificate-identity', IDENTITY, '--certificate-oidc-issuer', ISSUER];
    expect(await verify('app.tgz', exact)).toMatchObject({ code: 0 });
    writeFileSync(join(dir, 'other.tgz'), 'other');
    expect(await verify('other.tgz', exact)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('SIGNATURE_ERROR'),
    });
    expect(
      await verify('app.tgz', [
        '--certificate-identity',
        `${IDENTITY}-evil`,
        '--certificate-oidc-issuer',
        ISSUER,
      ]),
    ).toMatchObject({ code: 1, stderr: expect.stringContaining('certificate identity error') });
    expect(
      await verify('app.tgz', [
        '--certificate-identity',
        IDENTITY,
        '--certificate-oidc-issuer',
        'https://accounts.google.com',
      ]),
    ).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('expected issuer=https://accounts.google.com'),
    });
    expect(
      await verify('app.tgz', [
        '--certificate-identity-regexp',
        '^https://github\\.com/acme/web/',
        '--certificate-oidc-issuer',
        ISSUER,
      ]),
    ).toMatchObject({ code: 1 });
    expect(
      await verify('app.tgz', [
        '--certificate-identity-regexp',
        '^https://github\\.com/acme/',
        '--certificate-oidc-issuer-regexp',
        '^https://token\\.actions\\.githubusercontent\\.com$',
      ]),
    ).toMatchObject({ code: 0 });
    // Either constraint alone would accept any signer of the other kind: both are required.
    expect(await verify('app.tgz', ['--certificate-identity', IDENTITY])).toMatchObject({ code: 2 });
    expect(
      await mc(['verify-blob', 'app.tgz', '--bundle', 'app.tgz.sigstore.json', ...exact], { cwd: dir, env }),
    ).toMatchObject({ code: 2, stderr: expect.stringContaining('--trusted-root') });
  });

  it('attests keyless and verifies the attestation offline', async () => {
    const { dir, env } = workspace();
    expect((await mc(['attest', 'app.tgz', '--keyless', ...services()], { cwd: dir, env })).code).toBe(0);
    const verified = await mc(
      [
        'verify-attestation',
        'app.tgz',
        '--bundle',
        'app.tgz.intoto.sigstore.json',
        '--trusted-root',
        'trusted_root.json',
        '--certificate-identity',
        IDENTITY,
        '--certificate-oidc-issuer',
        ISSUER,
        '--offline',
      ],
      { cwd: dir, env },
    );
    expect(verified).toMatchObject({ code: 0, stdout: expect.stringContaining('(attestation)') });
  });

  it('says why it cannot sign keyless: no token, inside Lambda, a refused token, flags without --keyless', async () => {
    const { dir, env } = workspace();
    const { ACTIONS_ID_TOKEN_REQUEST_URL: _, ...noActions } = env;
    expect(
      await mc(['sign', 'app.tgz', '--keyless', ...services()], { cwd: dir, env: noActions }),
    ).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('permissions: id-token: write'),
    });
    expect(
      await mc(['sign', 'app.tgz', '--keyless', ...services()], {
        cwd: dir,
        env: { ...env, AWS_LAMBDA_FUNCTION_NAME: 'mc-action' },
      }),
    ).toMatchObject({ code: 2, stderr: expect.stringContaining('not Lambda') });
    expect(
      await mc(['sign', 'app.tgz', '--keyless', ...services()], {
        cwd: dir,
        env: { ...env, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'wrong' },
      }),
    ).toMatchObject({ code: 1, stderr: expect.stringContaining('answered 403') });
    expect(await mc(['sign', 'app.tgz', '--rekor-url', sigstore.url], { cwd: dir, env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('apply to --keyless only'),
    });
    expect(
      await mc(['sign', 'app.tgz', '--keyless', '--rekor-version', '2', ...services()], { cwd: dir, env }),
    ).toMatchObject({ code: 2, stderr: expect.stringContaining('--tsa-url') });
  });
});
