import { SbomError } from '../errors.js';
import { type Json, parseJsonObject } from '../private/json.js';
import { CYCLONEDX_VERSIONS, type CycloneDxVersion, EXPECTED_SBOM } from '../sbom.js';

/** A parsed SBOM whose format and version mc supports. */
export type SbomDocument =
  | { readonly format: 'cyclonedx'; readonly specVersion: CycloneDxVersion; readonly root: Json }
  | { readonly format: 'spdx'; readonly specVersion: '2.3'; readonly root: Json };

/** Parses an SBOM file and tells its format; anything mc does not read is an SbomError naming the file. */
export function parseSbomDocument(text: string, file: string): SbomDocument {
  const root = parseJson(text, file);
  if (root.bomFormat === 'CycloneDX') {
    // A number (1.6 instead of "1.6") still picks the schema, which then reports the type.
    const version = String(root.specVersion ?? '');
    if (!(CYCLONEDX_VERSIONS as readonly string[]).includes(version)) {
      throw new SbomError(
        'UNKNOWN_FORMAT',
        `${file}: CycloneDX specVersion ${JSON.stringify(root.specVersion ?? null)} is not supported; expected ${EXPECTED_SBOM}`,
      );
    }
    return { format: 'cyclonedx', specVersion: version as CycloneDxVersion, root };
  }
  if (typeof root.spdxVersion === 'string') {
    if (root.spdxVersion !== 'SPDX-2.3') {
      throw new SbomError(
        'UNKNOWN_FORMAT',
        `${file}: spdxVersion ${JSON.stringify(root.spdxVersion)} is not supported; expected ${EXPECTED_SBOM}`,
      );
    }
    return { format: 'spdx', specVersion: '2.3', root };
  }
  throw new SbomError(
    'UNKNOWN_FORMAT',
    `${file}: not an SBOM format mc reads (neither bomFormat "CycloneDX" nor spdxVersion found); expected ${EXPECTED_SBOM}`,
  );
}

function parseJson(text: string, file: string): Json {
  const start = text.trimStart();
  if (start.startsWith('<') || /^SPDXVersion:/m.test(start.slice(0, 4096))) {
    const what = start.startsWith('<') ? 'an XML document' : 'SPDX tag-value';
    throw new SbomError(
      'UNKNOWN_FORMAT',
      `${file}: ${what}, which mc does not read; expected ${EXPECTED_SBOM}`,
    );
  }
  return parseJsonObject(text, file, EXPECTED_SBOM, 'UNKNOWN_FORMAT');
}
