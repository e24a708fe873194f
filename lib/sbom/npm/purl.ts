import { Utils } from '@cyclonedx/cyclonedx-library/Contrib/FromNodePackageJson';
import { PackageURL } from 'packageurl-js';
import type { NpmPackageFacts } from './component.js';

// Only the registry matcher of the library's npm helpers: no models, no serializers.
const { defaultRegistryMatcher } = Utils;

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

/** `@scope/name` → group `@scope`, name `name`. */
export function splitName(full: string): { group?: string; name: string } {
  const slash = full.indexOf('/');
  return full.startsWith('@') && slash > 0
    ? { group: full.slice(0, slash), name: full.slice(slash + 1) }
    : { name: full };
}
