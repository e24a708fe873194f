import { arr, type Json, obj, str } from '../private/json.js';
import type { SbomComponent } from '../sbom.js';

/**
 * The subject (the package the document DESCRIBES) and the other packages of an SPDX 2.3 document;
 * reads, never validates.
 */
export function normalizeSpdx(root: Json): { subject?: SbomComponent; components: SbomComponent[] } {
  const subjectId = describedPackage(root);
  let subject: SbomComponent | undefined;
  const components: SbomComponent[] = [];
  for (const p of arr(root.packages)) {
    const pkg = obj(p);
    const component = packageComponent(pkg);
    if (subject === undefined && subjectId !== undefined && pkg.SPDXID === subjectId) {
      const { digest: _, ...withoutDigest } = component;
      subject = withoutDigest;
    } else {
      components.push(component);
    }
  }
  return subject ? { subject, components } : { components };
}

function describedPackage(root: Json): string | undefined {
  const listed = str(arr(root.documentDescribes)[0]);
  if (listed) return listed;
  const describes = arr(root.relationships)
    .map(obj)
    .find((r) => r.relationshipType === 'DESCRIBES' && r.spdxElementId === root.SPDXID);
  return describes ? str(describes.relatedSpdxElement) : undefined;
}

function packageComponent(pkg: Json): SbomComponent {
  const version = str(pkg.versionInfo);
  const purl = arr(pkg.externalRefs)
    .map(obj)
    .find((r) => r.referenceType === 'purl' && str(r.referenceLocator))?.referenceLocator as
    | string
    | undefined;
  const sha256 = arr(pkg.checksums)
    .map(obj)
    .find((c) => c.algorithm === 'SHA256' && str(c.checksumValue));
  return {
    name: str(pkg.name) ?? 'unknown',
    ...(version ? { version } : {}),
    ...(purl ? { purl } : {}),
    ...(sha256 ? { digest: `sha256:${String(sha256.checksumValue).toLowerCase()}` } : {}),
  };
}
