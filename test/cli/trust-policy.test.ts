import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mc } from '../support/cli.js';
import { type SigstoreServices, startSigstoreServices } from '../support/sigstore-services.js';

const IDENTITY = 'https://github.com/acme/api/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

let sigstore: SigstoreServices;
beforeAll(async () => {
  sigstore = await startSigstoreServices();
});
afterAll(() => sigstore.close());

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'mc-trust-cli-'));
  writeFileSync(join(dir, 'app.tgz'), 'release bytes\n');
  writeFileSync(join(dir, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot()));
  const env = {
    MC_HOME: join(dir, '.mc'),
    PATH: process.env.PATH ?? '',
    SIGSTORE_ID_TOKEN: sigstore.token({ sub: IDENTITY, iss: ISSUER }),
  };
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  const header = 'apiVersion: policy.maestro.dev/v1\nkind: TrustPolicy\nmetadata: {name: acme}\n';
  return { dir, env, write, header };
}

describe('mc verify-blob / verify-attestation --trust-policy', () => {
  it('accepts a listed key outside prod, refuses it in prod, and refuses signer flags beside a policy', async () => {
    const { dir, env, write, header } = workspace();
    expect((await mc(['sign', 'app.tgz'], { cwd: dir, env })).code).toBe(0);
    write('trust.yaml', `${header}keys: [{name: laptop, publicKeyFile: .mc/keys/mc.pub}]\n`);
    const verify = (...flags: string[]) =>
      mc(
        [
          'verify-blob',
          'app.tgz',
          '--bundle',
          'app.tgz.sigstore.json',
          '--trust-policy',
          'trust.yaml',
          ...flags,
        ],
        {
          cwd: dir,
          env,
        },
      );
    expect(await verify('--env', 'dev')).toMatchObject({
      code: 0,
      stdout: 'verified app.tgz with app.tgz.sigstore.json (signature, signed by laptop, trusted in dev)\n',
    });
    // prod is the default: the strictest.
    expect(await verify()).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'signed with a local key, which the trust policy trust.yaml does not accept in prod',
      ),
    });
    // An environment nobody defined would accept any signer: a typo of prod is a usage error.
    expect(await verify('--env', 'prdo')).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringContaining('--env prdo: not an environment of mc (dev, staging, prod)'),
    });
    write(
      'qa.yaml',
      `${header}keys: [{name: laptop, publicKeyFile: .mc/keys/mc.pub}]\nenvironments: {qa: {signers: [key]}}\n`,
    );
    expect(
      (
        await mc(
          [
            'verify-blob',
            'app.tgz',
            '--bundle',
            'app.tgz.sigstore.json',
            '--trust-policy',
            'qa.yaml',
            '--env',
            'qa',
          ],
          { cwd: dir, env },
        )
      ).code,
    ).toBe(0);
    expect(await verify('--key', '.mc/keys/mc.pub')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--key: with a trust policy, the policy says whose signatures count'),
    });
    write('broken.yaml', `${header}keys: [{name: k}]\n`);
    expect(
      await mc(
        ['verify-blob', 'app.tgz', '--bundle', 'app.tgz.sigstore.json', '--trust-policy', 'broken.yaml'],
        {
          cwd: dir,
          env,
        },
      ),
    ).toMatchObject({ code: 2, stderr: expect.stringContaining('broken.yaml: not a TrustPolicy') });
  });

  it('accepts a keyless signature from a listed identity in prod, and refuses others with every reason', async () => {
    const { dir, env, write, header } = workspace();
    const services = ['--fulcio-url', sigstore.url, '--rekor-url', sigstore.url];
    expect((await mc(['sign', 'app.tgz', '--keyless', ...services], { cwd: dir, env })).code).toBe(0);
    expect((await mc(['attest', 'app.tgz', '--keyless', ...services], { cwd: dir, env })).code).toBe(0);
    const identities = (subject: string) =>
      `trustedRoot: trusted_root.json\nidentities: [{name: release, issuer: "${ISSUER}", subjectRegExp: "${subject}"}]\n`;
    write('trust.yaml', `${header}${identities('^https://github\\\\.com/acme/')}`);
    write('other.yaml', `${header}${identities('^https://github\\\\.com/evil/')}`);
    const verify = (policy: string) =>
      mc(
        [
          'verify-blob',
          'app.tgz',
          '--bundle',
          'app.tgz.sigstore.json',
          '--trust-policy',
          policy,
          '--offline',
        ],
        {
          cwd: dir,
          env,
        },
      );
    expect(await verify('trust.yaml')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('signed by release, trusted in prod'),
    });
    expect(await verify('other.yaml')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'no identity the trust policy other.yaml lists signed it (release: UNTRUSTED_SIGNER_ERROR',
      ),
    });

    // Builders: listed ones only, and only for the sources they may build.
    const attestation = (policy: string) =>
      mc(
        [
          'verify-attestation',
          'app.tgz',
          '--bundle',
          'app.tgz.intoto.sigstore.json',
          '--trust-policy',
          policy,
          '--json',
        ],
        { cwd: dir, env: { ...env, GITHUB_REPOSITORY: 'acme/api' } },
      );
    write(
      'builders.yaml',
      `${header}${identities('^https://github\\\\.com/acme/')}builders: [{id: https://ci.example/builder}]\n`,
    );
    expect(await attestation('builders.yaml')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'the builder https://maestro.dev/mc/builder/local@v1 is not one the trust policy builders.yaml trusts',
      ),
    });
    write(
      'sources.yaml',
      `${header}${identities('^https://github\\\\.com/acme/')}builders: [{id: "https://maestro.dev/mc/builder/local@v1", sourceRegExp: "^https://github\\\\.com/acme/"}]\n`,
    );
    expect(await attestation('sources.yaml')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is trusted for sources matching'),
    });
  });
});
