import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdmissionDeps } from '../../lib/admission/index.js';
import { shippedPolicy } from '../../lib/gate/index.js';
import {
  type FreezeWindows,
  IMAGE_PREDICATES,
  type PromotionMap,
  parseFreezeWindows,
  parsePromotionMap,
  promotionSwitch,
  signImage,
} from '../../lib/images/index.js';
import type { LocalBackend } from '../../lib/local/index.js';
import { parseReference, RegistryClient } from '../../lib/registry/index.js';
import { KeySigner, LOCAL_BUILDER_ID, publicKeyPem, SLSA_PROVENANCE_V1 } from '../../lib/signing/index.js';
import { loadTrustPolicy } from '../../lib/trust/index.js';

/** A signing key of the tests, and a trust policy that trusts it in every environment. */
export interface TrustedKey {
  readonly privateKey: KeyObject;
  readonly trustPolicy: string;
}

export function trustedKey(options: { readonly requireInDev?: boolean } = {}): TrustedKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const dir = mkdtempSync(join(tmpdir(), 'mc-image-trust-'));
  const trustPolicy = join(dir, 'trust-policy.yaml');
  const all = '{signers: [key, kms, keyless], require: [signature, provenance, sbom]}';
  writeFileSync(join(dir, 'release.pub'), publicKeyPem(publicKey));
  writeFileSync(
    trustPolicy,
    `apiVersion: policy.maestro.dev/v1
kind: TrustPolicy
metadata: {name: image-tests}
keys:
  - {name: release, publicKeyFile: release.pub}
builders:
  - {id: ${LOCAL_BUILDER_ID}}
environments:
  dev: ${options.requireInDev === false ? '{signers: [key], require: []}' : all}
  staging: ${all}
  prod: ${all}
`,
  );
  return { privateKey, trustPolicy };
}

/** A promotion map with one service, `api`, in `<host>/dev/api`, `<host>/staging/api`, `<host>/prod/api`. */
export function testPromotionMap(host: string): PromotionMap {
  return parsePromotionMap(
    `apiVersion: policy.maestro.dev/v1
kind: PromotionMap
metadata: {name: tests}
services:
  api: {dev: ${host}/dev/api, staging: ${host}/staging/api, prod: ${host}/prod/api}
`,
    'promotion.yaml',
  );
}

export interface TestAdmission {
  readonly deps: AdmissionDeps;
  /** Every registry client the deps handed out (one per verification or promotion). */
  readonly clients: RegistryClient[];
  setNow(now: Date): void;
  setFreezeWindows(yaml: string): void;
  setKillSwitch(value: string | undefined): void;
}

/** Admission deps on the embedded backend, reaching test registries over plain HTTP. */
export function testAdmission(
  backend: LocalBackend,
  options: { readonly trustPolicy: string; readonly map: PromotionMap; readonly registryHost: string },
): TestAdmission {
  const clients: RegistryClient[] = [];
  let now = new Date();
  let windows: FreezeWindows = { file: 'none', windows: [] };
  let killSwitch: string | undefined;
  const trust = loadTrustPolicy(options.trustPolicy);
  return {
    clients,
    setNow: (d) => {
      now = d;
    },
    setFreezeWindows: (yaml) => {
      windows = parseFreezeWindows(yaml, 'freeze-windows.yaml');
    },
    setKillSwitch: (value) => {
      killSwitch = value;
    },
    deps: {
      images: backend.images,
      waivers: backend.waivers,
      evidence: backend.evidence,
      registry: (host) => {
        const client = new RegistryClient(host, { insecure: true, retries: 0 });
        clients.push(client);
        return client;
      },
      registryHost: () => options.registryHost,
      trustPolicy: () => trust,
      promotionMap: () => options.map,
      freezeWindows: () => windows,
      promotionStopped: async () => promotionSwitch(killSwitch, 'the test'),
      policy: shippedPolicy,
      enforce: true,
      now: () => now,
    },
  };
}

/** A minimal CycloneDX 1.6 SBOM of the image, with one component. */
export function imageSbom(): object {
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    metadata: { component: { type: 'container', name: 'api', version: '1.0.0' } },
    components: [
      {
        type: 'library',
        name: 'left-pad',
        version: '1.3.0',
        purl: 'pkg:npm/left-pad@1.3.0',
        'bom-ref': 'left-pad',
      },
    ],
  };
}

/** SLSA v1 provenance for an image, from the local builder. */
export function imageProvenance(): object {
  return {
    buildDefinition: {
      buildType: 'https://maestro.dev/mc/build/v1',
      externalParameters: { source: { repository: 'https://github.com/acme/api', commit: 'abc123' } },
    },
    runDetails: { builder: { id: LOCAL_BUILDER_ID } },
  };
}

/** Signs an image and attaches its provenance, SBOM and an empty scan, as `mc sign-image` / `mc attest-image` do. */
export async function signAndAttest(
  client: RegistryClient,
  reference: string,
  key: KeyObject,
  kinds: readonly ('signature' | 'provenance' | 'sbom' | 'scan')[] = [
    'signature',
    'provenance',
    'sbom',
    'scan',
  ],
): Promise<void> {
  const ref = parseReference(reference);
  const signing = { signer: new KeySigner(key) };
  const predicates = {
    signature: [IMAGE_PREDICATES.signature, {}],
    provenance: [SLSA_PROVENANCE_V1, imageProvenance()],
    sbom: [IMAGE_PREDICATES.cyclonedx, imageSbom()],
    scan: [
      IMAGE_PREDICATES.vuln,
      {
        scanner: {
          uri: 'pkg:github/anchore/grype',
          result: { matches: [], descriptor: { name: 'grype', version: '0.80.0' } },
        },
      },
    ],
  } as const;
  for (const kind of kinds) await signImage(client, ref, signing, predicates[kind][0], predicates[kind][1]);
}
