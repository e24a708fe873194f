import { Contrib, type Enums, Models } from '@cyclonedx/cyclonedx-library';
// A static import, so the Lambda bundles carry it (a createRequire() call is not bundled).
import parseSpdxExpression from 'spdx-expression-parse';
import { npmPurl, splitName } from './purl.js';

export { npmPurl } from './purl.js';

const licenses = new Contrib.License.Factories.LicenseFactory((expression) => {
  parseSpdxExpression(expression);
});
const { parsePackageIntegrity } = Contrib.FromNodePackageJson.Utils;

/** What mc knows of an npm package when it renders it as a CycloneDX component. */
export interface NpmPackageFacts {
  /** The npm name, scope included (`@scope/name`). */
  readonly name: string;
  readonly version?: string;
  /** Where npm fetched it from (package-lock `resolved`). */
  readonly resolved?: string;
  /** Subresource-integrity string(s) (package-lock `integrity`). */
  readonly integrity?: string;
  /** SPDX expression, id or free text (package-lock / package.json `license`). */
  readonly license?: string;
}

/** An npm package as a CycloneDX component: scope as group, purl as bom-ref, hashes and licenses. */
export function npmComponent(type: Enums.ComponentType, facts: NpmPackageFacts): Models.Component {
  const { group, name } = splitName(facts.name);
  const purl = npmPurl(facts);
  const component = new Models.Component(type, name, {
    bomRef: purl ?? `${facts.name}@${facts.version ?? ''}`,
    ...(group ? { group } : {}),
    ...(facts.version ? { version: facts.version } : {}),
    ...(purl ? { purl } : {}),
  });
  for (const sri of (facts.integrity ?? '').split(/\s+/).filter(Boolean)) {
    const hash = tryHash(sri);
    if (hash) component.hashes.set(hash[0], hash[1]);
  }
  if (facts.license) component.licenses.add(licenses.makeFromString(facts.license));
  return component;
}

/** An SRI string's algorithm (CycloneDX name, e.g. SHA-512) and hex digest; undefined when unknown. */
export function tryHash(sri: string): readonly [Enums.HashAlgorithm, string] | undefined {
  try {
    return parsePackageIntegrity(sri);
  } catch {
    return undefined; // an algorithm CycloneDX has no name for; the other hashes still count
  }
}
