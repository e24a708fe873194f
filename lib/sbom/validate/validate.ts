import { parseSbomDocument } from '../read/detect.js';
import { normalizeDocument } from '../read/read.js';
import type { SbomValidation } from '../sbom.js';
import { cycloneDxErrors } from './cyclonedx.js';
import { spdxErrors } from './spdx.js';

/**
 * Validates a CycloneDX 1.4–1.6 JSON SBOM against the official schema of its version (strict:
 * no unknown properties) and an SPDX 2.3 JSON SBOM against the fields the spec requires. An
 * unknown or broken file is an SbomError naming it; an SBOM with problems is `valid: false`.
 */
export async function validateSbom(text: string, file: string): Promise<SbomValidation> {
  const doc = parseSbomDocument(text, file);
  const errors =
    doc.format === 'cyclonedx'
      ? await cycloneDxErrors(text, doc.root, doc.specVersion)
      : spdxErrors(doc.root);
  return {
    format: doc.format,
    specVersion: doc.specVersion,
    valid: errors.length === 0,
    errors,
    components: normalizeDocument(doc).components.length,
  };
}
