/** The SBOM formats mc reads: CycloneDX 1.4–1.6 JSON and SPDX 2.3 JSON. */
export type SbomFormat = 'cyclonedx' | 'spdx';

/** What every SBOM reader and validator says it expected, in errors. */
export const EXPECTED_SBOM = 'CycloneDX 1.4–1.6 JSON or SPDX 2.3 JSON';

export const CYCLONEDX_VERSIONS = ['1.4', '1.5', '1.6'] as const;
export type CycloneDxVersion = (typeof CYCLONEDX_VERSIONS)[number];

/** One component of an SBOM, whatever format it came in. */
export interface SbomComponent {
  /** For npm packages the full name, scope included (`@scope/name`). */
  readonly name: string;
  readonly version?: string;
  readonly purl?: string;
  /** `sha256:<hex>` when the SBOM records a SHA-256 of the component. */
  readonly digest?: string;
}

/** An SBOM reduced to what the gate and the evidence need: its subject and a flat component list. */
export interface NormalizedSbom {
  readonly format: SbomFormat;
  readonly specVersion: string;
  /** CycloneDX `metadata.component`; in SPDX the package the document describes. */
  readonly subject?: { readonly name: string; readonly version?: string; readonly purl?: string };
  /** Every component except the subject, nested ones flattened. */
  readonly components: readonly SbomComponent[];
}

/** The verdict on one SBOM file. */
export interface SbomValidation {
  readonly format: SbomFormat;
  readonly specVersion: string;
  readonly valid: boolean;
  /** Each problem as `<JSON path>: <what is wrong>`; empty when valid. */
  readonly errors: readonly string[];
  /** How many components {@link NormalizedSbom.components} would list. */
  readonly components: number;
}
