import { describe, expect, it } from 'vitest';
import { SbomError, validateSbom } from '../../lib/sbom/index.js';
import { cycloneDx, spdx23, text } from './documents.js';

describe('validateSbom on CycloneDX', () => {
  it.each(['1.4', '1.5', '1.6'])(
    'accepts a valid %s document, checked against that version’s schema',
    async (version) => {
      const result = await validateSbom(text(cycloneDx(version)), 'shop.cdx.json');

      expect(result).toEqual({
        format: 'cyclonedx',
        specVersion: version,
        valid: true,
        errors: [],
        components: 2,
      });
    },
  );

  it('rejects in 1.4 what only 1.5 allows (metadata.lifecycles)', async () => {
    const lifecycles = (version: string) => {
      const doc = cycloneDx(version);
      (doc.metadata as Record<string, unknown>).lifecycles = [{ phase: 'build' }];
      return text(doc);
    };

    const in14 = await validateSbom(lifecycles('1.4'), 'old.json');
    const in15 = await validateSbom(lifecycles('1.5'), 'new.json');

    expect(in14.valid).toBe(false);
    expect(in14.errors).toEqual(["$.metadata: must NOT have additional properties ('lifecycles')"]);
    expect(in15.valid).toBe(true);
  });

  it('names the component that lacks a name', async () => {
    const doc = cycloneDx('1.6');
    delete (doc.components as Record<string, unknown>[])[1].name;

    const result = await validateSbom(text(doc), 'shop.cdx.json');

    expect(result.valid).toBe(false);
    expect(result.errors).toEqual(["$.components[1]: must have required property 'name'"]);
  });

  it('names a specVersion of the wrong type', async () => {
    const result = await validateSbom(text(cycloneDx('1.6', { specVersion: 1.6 })), 'shop.cdx.json');

    expect(result).toMatchObject({ specVersion: '1.6', valid: false });
    expect(result.errors).toEqual(['$.specVersion: must be string']);
  });

  it('names a component type outside the enumeration, with the allowed values', async () => {
    const doc = cycloneDx('1.5');
    (doc.components as Record<string, unknown>[])[0].type = 'plugin';

    const result = await validateSbom(text(doc), 'shop.cdx.json');

    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /^\$\.components\[0\]\.type: must be equal to one of the allowed values \(allowed: "application", .*"library"/,
    );
  });

  it('finds what the schema cannot: a repeated bom-ref and a dependency on an unknown one', async () => {
    const doc = cycloneDx('1.6', {
      dependencies: [{ ref: 'app', dependsOn: ['log4j', 'nowhere'] }],
    });
    (doc.components as Record<string, unknown>[])[0]['bom-ref'] = 'log4j';

    const result = await validateSbom(text(doc), 'shop.cdx.json');

    expect(result.errors).toEqual([
      `$.components[1]['bom-ref']: "log4j" is already the bom-ref of $.components[0]`,
      '$.dependencies[0].dependsOn[1]: "nowhere" is not the bom-ref of any component',
    ]);
  });
});

describe('validateSbom on SPDX 2.3', () => {
  it('accepts a document with the required fields', async () => {
    const result = await validateSbom(text(spdx23()), 'shop.spdx.json');

    expect(result).toEqual({ format: 'spdx', specVersion: '2.3', valid: true, errors: [], components: 1 });
  });

  it('lists every missing or malformed field with its path', async () => {
    const doc = spdx23({
      dataLicense: 'MIT',
      documentNamespace: 'https://example.com/spdx#part',
      creationInfo: { created: '6 May 2024', creators: [] },
    });
    delete doc.name;
    const packages = doc.packages as Record<string, unknown>[];
    delete packages[0].downloadLocation;
    packages[1].SPDXID = 'Package-shop';

    const result = await validateSbom(text(doc), 'shop.spdx.json');

    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([
      '$.dataLicense: must be "CC0-1.0", got "MIT"',
      '$.name: must be a non-empty string (missing)',
      '$.documentNamespace: must be an absolute URI without "#", got "https://example.com/spdx#part"',
      '$.creationInfo.created: must be a UTC date-time YYYY-MM-DDThh:mm:ssZ, got "6 May 2024"',
      '$.creationInfo.creators: must be a non-empty array, got []',
      '$.packages[0].downloadLocation: must be a URL, "NONE" or "NOASSERTION" (missing)',
      '$.packages[1].SPDXID: must be SPDXRef-<id>, got "Package-shop"',
    ]);
  });
});

describe('validateSbom on what is not a supported SBOM', () => {
  const EXPECTED = 'expected CycloneDX 1.4–1.6 JSON or SPDX 2.3 JSON';

  it.each([
    ['text that is not JSON', 'BROKEN_FILE', 'bom: [', /^in\.json: not JSON \(.+\); expected CycloneDX/],
    ['JSON of another format', 'UNKNOWN_FORMAT', '{"hello": 1}', /^in\.json: not an SBOM format mc reads/],
    [
      'an unsupported CycloneDX version',
      'UNKNOWN_FORMAT',
      text(cycloneDx('1.2')),
      /^in\.json: CycloneDX specVersion "1\.2" is not supported/,
    ],
    [
      'CycloneDX 1.7, newer than mc reads',
      'UNKNOWN_FORMAT',
      text(cycloneDx('1.7')),
      /specVersion "1\.7" is not supported/,
    ],
    [
      'SPDX 2.2',
      'UNKNOWN_FORMAT',
      text(spdx23({ spdxVersion: 'SPDX-2.2' })),
      /^in\.json: spdxVersion "SPDX-2\.2" is not supported/,
    ],
    [
      'CycloneDX XML',
      'UNKNOWN_FORMAT',
      '<?xml version="1.0"?><bom/>',
      /^in\.json: an XML document, which mc does not read/,
    ],
    ['a JSON array', 'UNKNOWN_FORMAT', '[]', /^in\.json: JSON array where an object was expected/],
  ])('rejects %s, naming the file and what it expected', async (_, code, input, message) => {
    const error = await validateSbom(input, 'in.json').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SbomError);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(EXPECTED);
  });
});
