import type { NormalizedSbom } from '../sbom.js';
import { normalizeCycloneDx } from './cyclonedx.js';
import { parseSbomDocument, type SbomDocument } from './detect.js';
import { normalizeSpdx } from './spdx.js';

/**
 * Reads a CycloneDX 1.4–1.6 or SPDX 2.3 JSON SBOM into its subject and flat component list, without
 * schema validation (see `validateSbom`). An unknown or broken file is an SbomError naming it.
 */
export function readSbom(text: string, file: string): NormalizedSbom {
  return normalizeDocument(parseSbomDocument(text, file));
}

export function normalizeDocument(doc: SbomDocument): NormalizedSbom {
  const { subject, components } =
    doc.format === 'cyclonedx' ? normalizeCycloneDx(doc.root) : normalizeSpdx(doc.root);
  return {
    format: doc.format,
    specVersion: doc.specVersion,
    ...(subject ? { subject } : {}),
    components,
  };
}
