import { describe, expect, it } from 'vitest';
import { readSbom, SbomError } from '../../lib/sbom/index.js';
import { cycloneDx, spdx23, text } from './documents.js';

describe('readSbom on CycloneDX', () => {
  it('reads the subject and each component, an npm scope as part of the name', () => {
    const sbom = readSbom(text(cycloneDx('1.5')), 'shop.cdx.json');

    expect(sbom).toEqual({
      format: 'cyclonedx',
      specVersion: '1.5',
      subject: { name: 'shop', version: '3.2.1' },
      components: [
        {
          name: '@acme/widget',
          version: '2.1.0',
          purl: 'pkg:npm/%40acme/widget@2.1.0',
          digest: `sha256:${'ab'.repeat(32)}`,
        },
        {
          name: 'log4j-core',
          version: '2.17.1',
          purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1',
        },
      ],
    });
  });

  it('flattens nested components, parents before their children', () => {
    const doc = cycloneDx('1.6', {
      components: [
        {
          type: 'application',
          name: 'outer',
          components: [
            { type: 'library', name: 'inner', components: [{ type: 'library', name: 'innermost' }] },
            { type: 'library', name: 'sibling' },
          ],
        },
        { type: 'library', name: 'last' },
      ],
      dependencies: [],
    });

    expect(readSbom(text(doc), 'x.json').components.map((c) => c.name)).toEqual([
      'outer',
      'inner',
      'innermost',
      'sibling',
      'last',
    ]);
  });

  it('reads 10,000 components quickly', () => {
    const components = Array.from({ length: 10_000 }, (_, i) => ({
      type: 'library',
      'bom-ref': `c${i}`,
      name: `pkg-${i}`,
      version: '1.0.0',
      purl: `pkg:npm/pkg-${i}@1.0.0`,
    }));
    const input = text(cycloneDx('1.6', { components, dependencies: [] }));

    const started = performance.now();
    const sbom = readSbom(input, 'big.json');
    const elapsed = performance.now() - started;

    expect(sbom.components).toHaveLength(10_000);
    expect(sbom.components[9_999]).toEqual({
      name: 'pkg-9999',
      version: '1.0.0',
      purl: 'pkg:npm/pkg-9999@1.0.0',
    });
    expect(elapsed).toBeLessThan(1_000);
  });
});

describe('readSbom on SPDX 2.3', () => {
  it('takes the described package as subject, purls from externalRefs and SHA256 checksums as digests', () => {
    const sbom = readSbom(text(spdx23()), 'shop.spdx.json');

    expect(sbom).toEqual({
      format: 'spdx',
      specVersion: '2.3',
      subject: { name: 'shop', version: '3.2.1' },
      components: [
        {
          name: 'left-pad',
          version: '1.3.0',
          purl: 'pkg:npm/left-pad@1.3.0',
          digest: `sha256:${'cd'.repeat(32)}`,
        },
      ],
    });
  });

  it('also finds the subject through documentDescribes', () => {
    const sbom = readSbom(
      text(spdx23({ documentDescribes: ['SPDXRef-Package-left-pad'], relationships: [] })),
      'x.json',
    );

    expect(sbom.subject?.name).toBe('left-pad');
    expect(sbom.components.map((c) => c.name)).toEqual(['shop']);
  });
});

describe('readSbom on what is not a supported SBOM', () => {
  it.each([
    ['BROKEN_FILE', '{"bomFormat": "CycloneDX",', /^x\.cdx\.json: not JSON/],
    ['UNKNOWN_FORMAT', '{"SchemaVersion": 2, "Results": []}', /^x\.cdx\.json: not an SBOM format mc reads/],
    [
      'UNKNOWN_FORMAT',
      text(cycloneDx('1.2')),
      /^x\.cdx\.json: CycloneDX specVersion "1\.2" is not supported/,
    ],
    ['UNKNOWN_FORMAT', 'SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n', /^x\.cdx\.json: SPDX tag-value/],
  ])('throws %s naming the file', (code, input, message) => {
    expect(() => readSbom(input, 'x.cdx.json')).toThrow(SbomError);
    expect(() => readSbom(input, 'x.cdx.json')).toThrow(message);
    expect(() => readSbom(input, 'x.cdx.json')).toThrow(
      /expected CycloneDX 1\.4–1\.6 JSON or SPDX 2\.3 JSON/,
    );
    try {
      readSbom(input, 'x.cdx.json');
    } catch (error) {
      expect((error as SbomError).code).toBe(code);
    }
  });
});
