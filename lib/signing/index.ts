export type { SerializedBundle } from '@sigstore/bundle';
export type { Signer } from '@sigstore/sign';
export type { Signing } from './bundles.js';
export { IN_TOTO_PAYLOAD_TYPE, signMessage, signStatement } from './bundles.js';
export { defaultKmsSigner } from './default-kms.js';
export { SigningError } from './errors.js';
export { KeySigner } from './key-signer.js';
export type { KeyedSigner, SignerKind } from './keyed-signer.js';
export type { KeylessOptions } from './keyless.js';
export { keylessSigning, PUBLIC_GOOD } from './keyless.js';
export type { PemKeyPair } from './keys.js';
export { generateKeyPair, keyHint, loadPrivateKey, loadPublicKey, publicKeyPem } from './keys.js';
export type { KmsClient } from './kms-signer.js';
export { KmsSigner } from './kms-signer.js';
export { identityToken, SIGSTORE_AUDIENCE } from './oidc-token.js';
export { projectKeyPaths, projectKeySigner, writeProjectKey } from './project-key.js';
export type { ProvenanceFacts, ProvenanceSubject } from './provenance.js';
export {
  LOCAL_BUILDER_ID,
  MC_BUILD_TYPE,
  provenanceStatement,
  SLSA_PROVENANCE_V1,
  STATEMENT_TYPE,
} from './provenance.js';
