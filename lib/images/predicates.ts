import { SLSA_PROVENANCE_V1, STATEMENT_TYPE } from '../signing/index.js';

/** What a Sigstore bundle attached to an image says, by its in-toto predicate type. */
export const IMAGE_PREDICATES = {
  /** A signature of the image (cosign's predicate for signing with the bundle format). */
  signature: 'https://sigstore.dev/cosign/sign/v1',
  slsaprovenance1: SLSA_PROVENANCE_V1,
  cyclonedx: 'https://cyclonedx.org/bom',
  /** A scanner's report (cosign's vuln predicate): `scanner.result` holds the scanner's own JSON. */
  vuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
} as const;

export type ImagePredicate = keyof typeof IMAGE_PREDICATES;

/** A scanner's own JSON as cosign's vuln predicate (`scanner.result`). */
export function vulnPredicate(result: unknown): { scanner: { result: unknown } } {
  return { scanner: { result } };
}

/** The scanner's own JSON a vuln predicate carries. */
export function vulnResult(predicate: unknown): unknown {
  return (predicate as { scanner?: { result?: unknown } } | undefined)?.scanner?.result;
}

/** The in-toto Statement that signs or attests an image: its subject is the manifest digest. */
export function imageStatement(
  repository: string,
  digest: string,
  predicateType: string,
  predicate: unknown,
) {
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: repository, digest: { sha256: digest.replace(/^sha256:/, '') } }],
    predicateType,
    predicate,
  };
}
