import { createRequire } from 'node:module';
import { Contrib, type Enums, Models } from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';

const require = createRequire(import.meta.url);
// spdx-expression-parse ships no types; the library only needs "throws when not an expression".
const parseSpdxExpression = require('spdx-expression-parse') as (expression: string) => unknown;
const licenses = new Contrib.License.Factories.LicenseFactory((expression) => {
  parseSpdxExpression(expression);
});
const { defaultRegistryMatcher, parsePackageIntegrity } = Contrib.FromNodePackageJson.Utils;

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

/**
 * `pkg:npm/%40scope/name@1.2.3`; a package fetched from elsewhere than the npm registry keeps its
 * source as `download_url` or `vcs_url`, so that it does not pass for the registry's package.
 */
export function npmPurl(facts: NpmPackageFacts): string | undefined {
  const { group, name } = splitName(facts.name);
  const qualifiers: Record<string, string> = {};
  const resolved = facts.resolved;
  if (resolved && /^git(\+|:)|^github:/.test(resolved)) qualifiers.vcs_url = resolved;
  else if (resolved && /^https?:/.test(resolved) && !defaultRegistryMatcher.test(resolved)) {
    qualifiers.download_url = resolved;
  }
  try {
    const purl = new PackageURL('npm', group, name, facts.version, qualifiers, undefined);
    return purl.toString();
  } catch {
    return undefined; // not a name a purl can carry; the component is still listed, without purl
  }
}

function splitName(full: string): { group?: string; name: string } {
  const slash = full.indexOf('/');
  return full.startsWith('@') && slash > 0
    ? { group: full.slice(0, slash), name: full.slice(slash + 1) }
    : { name: full };
}

/** An SRI string's algorithm (CycloneDX name, e.g. SHA-512) and hex digest; undefined when unknown. */
export function tryHash(sri: string): readonly [Enums.HashAlgorithm, string] | undefined {
  try {
    return parsePackageIntegrity(sri);
  } catch {
    return undefined; // an algorithm CycloneDX has no name for; the other hashes still count
  }
}
