import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import schema from '../../schema/trust-policy.json' with { type: 'json' };
import { type DocumentKind, parseDocument, readDocument } from '../documents/index.js';
import type { SignerKind } from '../signing/index.js';
import { TrustError } from './errors.js';

export type Requirement = 'signature' | 'provenance' | 'sbom';

export interface TrustedKey {
  readonly name: string;
  readonly kmsKeyArn?: string;
  readonly publicKey?: string;
  readonly publicKeyFile?: string;
}

export interface TrustedIdentity {
  readonly name: string;
  readonly issuer: string;
  readonly subject?: string;
  readonly subjectRegExp?: string;
}

export interface TrustedBuilder {
  readonly id: string;
  readonly sourceRegExp?: string;
}

export interface EnvironmentTrust {
  readonly signers: readonly SignerKind[];
  readonly require: readonly Requirement[];
  readonly requireTlog?: boolean;
}

interface TrustPolicyDocument {
  readonly apiVersion: 'policy.maestro.dev/v1';
  readonly kind: 'TrustPolicy';
  readonly metadata: { readonly name: string; readonly description?: string };
  readonly trustedRoot?: string;
  readonly keys?: readonly TrustedKey[];
  readonly identities?: readonly TrustedIdentity[];
  readonly builders?: readonly TrustedBuilder[];
  readonly environments?: Readonly<Record<string, Partial<EnvironmentTrust>>>;
}

/** A loaded trust policy: key files read, the trusted root parsed, where it came from kept for reasons. */
export interface TrustPolicy {
  readonly file: string;
  readonly name: string;
  readonly keys: readonly (TrustedKey & { readonly kind: 'key' | 'kms' })[];
  readonly identities: readonly TrustedIdentity[];
  readonly builders: readonly TrustedBuilder[];
  readonly trustedRoot?: unknown;
  readonly environments: Readonly<Record<string, Partial<EnvironmentTrust>>>;
}

/** The trust policy mc ships with. */
export const SHIPPED_TRUST_POLICY = 'policy/trust-policy.yaml';

const TRUST_POLICY: DocumentKind = {
  what: 'trust policy',
  kind: 'TrustPolicy',
  schema,
  shipped: SHIPPED_TRUST_POLICY,
  fail: (message) => new TrustError('BAD_TRUST_POLICY', message),
  // `required` inside anyOf/oneOf names properties declared beside it, which strictRequired cannot see.
  ajv: { strictRequired: false },
};

/**
 * A trust policy file (or the shipped one), checked against schema/trust-policy.json; key files
 * and the trusted root are read relative to it, so a broken reference fails when it is loaded.
 */
export function loadTrustPolicy(path?: string, cwd: string = process.cwd()): TrustPolicy {
  const file = readDocument(TRUST_POLICY, path, cwd);
  return parseTrustPolicy(file.text, file.display, dirname(file.path));
}

export function parseTrustPolicy(text: string, file: string, dir: string): TrustPolicy {
  const doc = parseDocument<TrustPolicyDocument>(TRUST_POLICY, text, file);
  const policy = doc;
  const read = (name: string, what: string) => {
    try {
      return readFileSync(resolve(dir, name), 'utf8');
    } catch (error) {
      throw new TrustError(
        'BAD_TRUST_POLICY',
        `${file}: cannot read ${what} ${name}: ${(error as Error).message}`,
      );
    }
  };
  for (const pattern of [
    ...(policy.identities ?? []).map((i) => i.subjectRegExp),
    ...(policy.builders ?? []).map((b) => b.sourceRegExp),
  ])
    if (pattern)
      try {
        new RegExp(pattern);
      } catch (error) {
        throw new TrustError('BAD_TRUST_POLICY', `${file}: ${(error as Error).message}`);
      }
  for (const key of policy.keys ?? [])
    if (key.publicKey && key.publicKeyFile)
      throw new TrustError(
        'BAD_TRUST_POLICY',
        `${file}: key ${key.name} gives both publicKey and publicKeyFile`,
      );
  let trustedRoot: unknown;
  if (policy.trustedRoot)
    try {
      trustedRoot = JSON.parse(read(policy.trustedRoot, 'the trusted root'));
    } catch (error) {
      if (error instanceof TrustError) throw error;
      throw new TrustError('BAD_TRUST_POLICY', `${file}: the trusted root ${policy.trustedRoot} is not JSON`);
    }
  return {
    file,
    name: policy.metadata.name,
    keys: (policy.keys ?? []).map((key) => ({
      ...key,
      kind: key.kmsKeyArn ? 'kms' : 'key',
      ...(key.publicKeyFile ? { publicKey: read(key.publicKeyFile, `the public key of ${key.name}`) } : {}),
    })),
    identities: policy.identities ?? [],
    builders: policy.builders ?? [],
    ...(trustedRoot ? { trustedRoot } : {}),
    environments: policy.environments ?? {},
  };
}

/** Outside the policy's own list: prod takes only KMS or keyless signers, with signature and provenance. */
const DEFAULTS: Readonly<Record<string, EnvironmentTrust>> = {
  prod: { signers: ['kms', 'keyless'], require: ['signature', 'provenance', 'sbom'] },
};
const ANY: EnvironmentTrust = { signers: ['key', 'kms', 'keyless'], require: [] };

/** Prod keeps its guarantees whatever a policy says, as a pipeline's prod profile does. */
const ALWAYS: Readonly<Record<string, readonly Requirement[]>> = { prod: ['signature', 'provenance'] };

/** What the policy accepts and requires in an environment. */
export function environmentTrust(policy: TrustPolicy, env: string): EnvironmentTrust {
  const fallback = DEFAULTS[env] ?? ANY;
  const listed = policy.environments[env] ?? {};
  const require = listed.require ?? fallback.require;
  return {
    signers: listed.signers ?? fallback.signers,
    require: [...new Set([...(ALWAYS[env] ?? []), ...require])],
    ...(listed.requireTlog ? { requireTlog: true } : {}),
  };
}

const KIND_NAMES: Record<SignerKind, string> = {
  key: 'a local key',
  kms: 'an AWS KMS key',
  keyless: 'a keyless (Fulcio) certificate',
};

/** Why a signer of this kind is refused here, or undefined when it is accepted. */
export function refusedSigner(policy: TrustPolicy, env: string, kind: SignerKind): string | undefined {
  const { signers } = environmentTrust(policy, env);
  if (signers.includes(kind)) return undefined;
  return `signed with ${KIND_NAMES[kind]}, which the trust policy ${policy.file} does not accept in ${env} (it accepts ${signers.map((s) => KIND_NAMES[s]).join(', ')})`;
}
