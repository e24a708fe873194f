// Handwritten SBOM documents for the reader and validator tests.

/** A CycloneDX document of the given version: an application with one npm and one maven component. */
export function cycloneDx(specVersion: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    bomFormat: 'CycloneDX',
    specVersion,
    serialNumber: 'urn:uuid:1b671687-395b-41f5-a30f-a58921a69b79',
    version: 1,
    metadata: {
      timestamp: '2024-05-06T07:08:09Z',
      tools: [{ vendor: 'acme', name: 'hand', version: '1' }],
      component: { type: 'application', 'bom-ref': 'app', name: 'shop', version: '3.2.1' },
    },
    components: [
      {
        type: 'library',
        'bom-ref': 'pkg:npm/%40acme/widget@2.1.0',
        group: '@acme',
        name: 'widget',
        version: '2.1.0',
        purl: 'pkg:npm/%40acme/widget@2.1.0',
        hashes: [{ alg: 'SHA-256', content: 'AB'.repeat(32) }],
      },
      {
        type: 'library',
        'bom-ref': 'log4j',
        group: 'org.apache.logging.log4j',
        name: 'log4j-core',
        version: '2.17.1',
        purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1',
      },
    ],
    dependencies: [{ ref: 'app', dependsOn: ['pkg:npm/%40acme/widget@2.1.0', 'log4j'] }],
    ...extra,
  };
}

/** A valid SPDX 2.3 document describing `shop`, which contains `left-pad`. */
export function spdx23(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'shop-sbom',
    documentNamespace: 'https://example.com/spdx/shop-3.2.1-0a1b',
    creationInfo: { created: '2024-05-06T07:08:09Z', creators: ['Tool: hand-1', 'Organization: Acme'] },
    packages: [
      {
        name: 'left-pad',
        SPDXID: 'SPDXRef-Package-left-pad',
        versionInfo: '1.3.0',
        downloadLocation: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz',
        checksums: [
          { algorithm: 'SHA1', checksumValue: 'aa'.repeat(20) },
          { algorithm: 'SHA256', checksumValue: 'CD'.repeat(32) },
        ],
        externalRefs: [
          {
            referenceCategory: 'SECURITY',
            referenceType: 'cpe23Type',
            referenceLocator: 'cpe:2.3:a:x:left-pad:1.3.0:*:*:*:*:*:*:*',
          },
          {
            referenceCategory: 'PACKAGE-MANAGER',
            referenceType: 'purl',
            referenceLocator: 'pkg:npm/left-pad@1.3.0',
          },
        ],
      },
      {
        name: 'shop',
        SPDXID: 'SPDXRef-Package-shop',
        versionInfo: '3.2.1',
        downloadLocation: 'NOASSERTION',
      },
    ],
    relationships: [
      {
        spdxElementId: 'SPDXRef-DOCUMENT',
        relationshipType: 'DESCRIBES',
        relatedSpdxElement: 'SPDXRef-Package-shop',
      },
      {
        spdxElementId: 'SPDXRef-Package-shop',
        relationshipType: 'CONTAINS',
        relatedSpdxElement: 'SPDXRef-Package-left-pad',
      },
    ],
    ...extra,
  };
}

export const text = (doc: unknown): string => JSON.stringify(doc, null, 2);
