import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleToJSON } from '@sigstore/bundle';
import { DSSEBundleBuilder } from '@sigstore/sign';
import { describe, expect, it } from 'vitest';
import { KeySigner, loadPrivateKey } from '../../lib/signing/index.js';
import { mc } from '../support/cli.js';

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'mc-sign-'));
  writeFileSync(join(dir, 'app.tgz'), 'release bytes\n');
  writeFileSync(join(dir, 'other.tgz'), 'other bytes\n');
  return { dir, env: { MC_HOME: join(dir, '.mc'), PATH: process.env.PATH ?? '' } };
}

describe('mc sign, mc attest, mc verify-blob, mc verify-attestation', () => {
  it('signs with the project key (created on first use, 0600) and verifies; a tampered file or another key does not verify', async () => {
    const { dir, env } = workspace();
    const signed = await mc(['sign', 'app.tgz', '--json'], { cwd: dir, env });
    expect(signed.code).toBe(0);
    expect(signed.stderr).toContain('created the project key');
    expect(statSync(join(dir, '.mc/keys/mc.key')).mode & 0o777).toBe(0o600);
    const bundle = JSON.parse(readFileSync(join(dir, 'app.tgz.sigstore.json'), 'utf8'));
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(readFileSync(join(dir, 'app.tgz.sig'), 'utf8').trim()).toBe(bundle.messageSignature.signature);
    const verify = (file: string, extra: string[] = []) =>
      mc(['verify-blob', file, '--bundle', 'app.tgz.sigstore.json', '--key', '.mc/keys/mc.pub', ...extra], {
        cwd: dir,
        env,
      });
    expect(await verify('app.tgz')).toMatchObject({
      code: 0,
      stdout: 'verified app.tgz with app.tgz.sigstore.json (signature)\n',
    });
    expect(await verify('other.tgz')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('mc: not verified: app.tgz.sigstore.json:'),
    });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    writeFileSync(join(dir, 'other.pub'), other);
    expect(
      (
        await mc(['verify-blob', 'app.tgz', '--bundle', 'app.tgz.sigstore.json', '--key', 'other.pub'], {
          cwd: dir,
          env,
        })
      ).code,
    ).toBe(1);
    // Flags that cannot apply to a key signature are errors, never ignored.
    expect(
      await verify('app.tgz', [
        '--certificate-identity',
        'me@example.com',
        '--certificate-oidc-issuer',
        'https://x',
      ]),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('has no identity or issuer'),
    });
    expect(
      (await mc(['verify-blob', 'app.tgz', '--bundle', 'app.tgz.sigstore.json'], { cwd: dir, env })).code,
    ).toBe(2);
  });

  it('attests SLSA provenance and checks subject, predicate type and builder', async () => {
    const { dir, env } = workspace();
    expect((await mc(['attest', 'app.tgz', '--env', 'dev'], { cwd: dir, env })).code).toBe(0);
    const check = (file: string, extra: string[] = []) =>
      mc(
        [
          'verify-attestation',
          file,
          '--bundle',
          'app.tgz.intoto.sigstore.json',
          '--key',
          '.mc/keys/mc.pub',
          ...extra,
        ],
        { cwd: dir, env },
      );
    const ok = await check('app.tgz', ['--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).statement).toMatchObject({
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {
        buildDefinition: { buildType: 'https://maestro.dev/mc/build/v1', externalParameters: { env: 'dev' } },
      },
    });
    const digest = `sha256:${JSON.parse(ok.stdout).statement.subject[0].digest.sha256}`;
    expect((await check(digest)).code).toBe(0);
    expect(await check('other.tgz')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no subject of the statement has the digest'),
    });
    expect(await check('app.tgz', ['--builder-id', 'https://ci.example/builder'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'the builder is https://maestro.dev/mc/builder/local@v1, not https://ci.example/builder',
      ),
    });
    expect(await check('app.tgz', ['--type', 'https://cyclonedx.org/bom'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('the predicate type is'),
    });
    // A message signature is not an attestation.
    await mc(['sign', 'app.tgz'], { cwd: dir, env });
    // And an attestation is not a signature of the file.
    expect(
      await mc(
        ['verify-blob', 'app.tgz', '--bundle', 'app.tgz.intoto.sigstore.json', '--key', '.mc/keys/mc.pub'],
        { cwd: dir, env },
      ),
    ).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('holds an attestation (DSSE), not a signature'),
    });
    const notDsse = await mc(
      ['verify-attestation', 'app.tgz', '--bundle', 'app.tgz.sigstore.json', '--key', '.mc/keys/mc.pub'],
      { cwd: dir, env },
    );
    expect(notDsse).toMatchObject({ code: 1, stderr: expect.stringContaining('not an attestation') });
  });

  it('refuses a DSSE payload type that was changed, and garbage, truncated or unknown bundles, with a reason', async () => {
    const { dir, env } = workspace();
    await mc(['attest', 'app.tgz'], { cwd: dir, env });
    const bundle = JSON.parse(readFileSync(join(dir, 'app.tgz.intoto.sigstore.json'), 'utf8'));
    const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
    write(
      'type.json',
      JSON.stringify({
        ...bundle,
        dsseEnvelope: { ...bundle.dsseEnvelope, payloadType: 'application/json' },
      }),
    );
    write('garbage.json', 'not a bundle');
    write('truncated.json', JSON.stringify(bundle).slice(0, 200));
    write(
      'future.json',
      JSON.stringify({ ...bundle, mediaType: 'application/vnd.dev.sigstore.bundle.v0.4+json' }),
    );
    const reasons: Record<string, RegExp> = {
      'type.json': /type\.json: .*signature/i,
      'garbage.json': /garbage\.json: not JSON/,
      'truncated.json': /truncated\.json: not JSON/,
      'future.json':
        /future\.json: unknown bundle version application\/vnd\.dev\.sigstore\.bundle\.v0\.4\+json/,
    };
    for (const [name, reason] of Object.entries(reasons)) {
      const result = await mc(
        ['verify-attestation', 'app.tgz', '--bundle', name, '--key', '.mc/keys/mc.pub'],
        { cwd: dir, env },
      );
      expect({ name, code: result.code }).toEqual({ name, code: 1 });
      expect(result.stderr).toMatch(reason);
    }
  });

  it('refuses a validly signed DSSE envelope whose payload type is not in-toto', async () => {
    const { dir, env } = workspace();
    expect((await mc(['keys', 'generate'], { cwd: dir, env })).code).toBe(0);
    const signer = new KeySigner(
      loadPrivateKey(readFileSync(join(dir, '.mc/keys/mc.key'), 'utf8'), 'the project key'),
    );
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [
        { name: 'app.tgz', digest: { sha256: createHash('sha256').update('release bytes\n').digest('hex') } },
      ],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {},
    };
    const bundle = await new DSSEBundleBuilder({ signer, witnesses: [] }).create({
      data: Buffer.from(JSON.stringify(statement)),
      type: 'application/json',
    });
    writeFileSync(join(dir, 'json.sigstore.json'), JSON.stringify(bundleToJSON(bundle)));
    const result = await mc(
      [
        'verify-attestation',
        'app.tgz',
        '--bundle',
        'json.sigstore.json',
        '--key',
        '.mc/keys/mc.pub',
        '--json',
      ],
      { cwd: dir, env },
    );
    const reason =
      'json.sigstore.json: the DSSE payload type is application/json, not application/vnd.in-toto+json';
    expect(result).toMatchObject({ code: 1, stderr: `mc: not verified: ${reason}\n` });
    expect(JSON.parse(result.stdout)).toEqual({
      verified: false,
      file: 'app.tgz',
      bundle: 'json.sigstore.json',
      reason,
    });
  });

  it('refuses signer flags that cannot apply: a passphrase without an encrypted key, keyless options without --keyless', async () => {
    const { dir, env } = workspace();
    writeFileSync(join(dir, 'pass.txt'), 'sesame\n');
    const cases: [string[], string][] = [
      [['--passphrase-file', 'pass.txt'], '.mc/keys/mc.key is not an encrypted PKCS#8 key'],
      [
        ['--kms', 'arn:aws:kms:eu-west-1:123456789012:key/k', '--passphrase-file', 'pass.txt'],
        '--passphrase-file applies to an encrypted private key (--key or the project key), not to --kms',
      ],
      [['--keyless', '--passphrase-file', 'pass.txt'], 'not to --keyless'],
      [['--rekor-version', '2'], '--rekor-version and --tsa-url apply to --keyless only'],
    ];
    for (const [flags, message] of cases) {
      const result = await mc(['sign', 'app.tgz', ...flags], { cwd: dir, env });
      expect({ flags, code: result.code }).toEqual({ flags, code: 2 });
      expect(result.stderr).toContain(message);
    }
  });

  it('signs with an encrypted PKCS#8 key given its passphrase, and says when it is missing', async () => {
    const { dir, env } = workspace();
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(
      join(dir, 'enc.pem'),
      privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'sesame' }),
    );
    writeFileSync(join(dir, 'pass.txt'), 'sesame\n');
    expect(await mc(['sign', 'app.tgz', '--key', 'enc.pem'], { cwd: dir, env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('enc.pem is encrypted'),
    });
    expect(
      (await mc(['sign', 'app.tgz', '--key', 'enc.pem', '--passphrase-file', 'pass.txt'], { cwd: dir, env }))
        .code,
    ).toBe(0);
    expect(
      (
        await mc(['sign', 'app.tgz', '--key', 'enc.pem'], {
          cwd: dir,
          env: { ...env, MC_KEY_PASSPHRASE: 'sesame' },
        })
      ).code,
    ).toBe(0);
    // The passphrase of an unencrypted key would go unused: a usage error, not silence.
    writeFileSync(join(dir, 'plain.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(
      await mc(['sign', 'app.tgz', '--key', 'plain.pem', '--passphrase-file', 'pass.txt'], { cwd: dir, env }),
    ).toMatchObject({ code: 2, stderr: expect.stringContaining('plain.pem is not an encrypted PKCS#8 key') });
  });
});

describe('mc verify-attestation --source-uri', () => {
  it('matches the repository exactly, never a longer name that starts with it', async () => {
    const { dir, env } = workspace();
    const github = {
      ...env,
      GITHUB_REPOSITORY: 'acme/orders-evil',
      GITHUB_SHA: 'a'.repeat(40),
      GITHUB_REF: 'refs/heads/main',
    };
    expect((await mc(['attest', 'app.tgz'], { cwd: dir, env: github })).code).toBe(0);
    const check = (uri: string) =>
      mc(
        [
          'verify-attestation',
          'app.tgz',
          '--bundle',
          'app.tgz.intoto.sigstore.json',
          '--key',
          '.mc/keys/mc.pub',
          '--source-uri',
          uri,
        ],
        {
          cwd: dir,
          env,
        },
      );
    expect((await check('https://github.com/acme/orders-evil')).code).toBe(0);
    expect(await check('https://github.com/acme/orders')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('does not name the source https://github.com/acme/orders'),
    });
  });
});

describe('mc attest resolvedDependencies', () => {
  it('lists what the lockfile resolved, by purl and integrity digest', async () => {
    const { dir, env } = workspace();
    const integrity =
      'sha512-cQKh8igo5QUhZ7lg38DYWAxMvjSAKG0A8wGSVimP07SIUEK2UO+arSRKbRZWtelMtN5V0Hkwh5ryOto/SshYIg==';
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { lodash: '4.17.11' } }),
    );
    writeFileSync(
      join(dir, 'package-lock.json'),
      JSON.stringify({
        name: 'app',
        lockfileVersion: 3,
        packages: {
          '': { name: 'app', version: '1.0.0', dependencies: { lodash: '4.17.11' } },
          'node_modules/lodash': { version: '4.17.11', integrity },
        },
      }),
    );
    const attested = await mc(['attest', 'app.tgz', '--json'], { cwd: dir, env });
    expect(
      JSON.parse(attested.stdout).statement.predicate.buildDefinition.resolvedDependencies,
    ).toContainEqual({
      uri: 'pkg:npm/lodash@4.17.11',
      digest: { sha512: Buffer.from(integrity.slice('sha512-'.length), 'base64').toString('hex') },
    });
  });
});
