import { describe, expect, it } from 'vitest';
import { generateNpmSbom, readSbom, SbomError, validateSbom } from '../../lib/sbom/index.js';
import {
  DEMO_PACKAGES,
  demoProject,
  FIXED,
  NESTED_PAD_SHA1,
  PAD_SHA512,
  projectDir,
  WIDGET_SHA512,
} from './npm-project.js';

const WIDGET = 'pkg:npm/%40acme/widget@2.1.0';
const PAD_1 = 'pkg:npm/left-pad@1.3.0';
const PAD_2 = 'pkg:npm/left-pad@2.0.0';
const TINY = 'pkg:npm/tiny@1.0.0';
const RUNNER = 'pkg:npm/test-runner@1.0.0';
const HELPER = 'pkg:npm/dev-helper@0.1.0';
const ROOT = 'pkg:npm/demo-app@1.0.0';

// ref → dependsOn, the way a reader of the SBOM sees the graph.
function graph(bom: ReturnType<typeof generateNpmSbom>['bom']): Record<string, string[]> {
  return Object.fromEntries((bom.dependencies ?? []).map((d) => [d.ref, d.dependsOn ?? []]));
}

describe('generateNpmSbom on a lockfileVersion 3 project', () => {
  it('produces CycloneDX 1.6 that the official schema accepts', async () => {
    // Prepare
    const dir = demoProject();

    // Act
    const { json, components } = generateNpmSbom(dir, FIXED);
    const validation = await validateSbom(json, 'sbom.cdx.json');

    // Assess
    expect(validation).toEqual({
      format: 'cyclonedx',
      specVersion: '1.6',
      valid: true,
      errors: [],
      components: 4,
    });
    expect(components).toBe(4);
    expect(JSON.parse(json)).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
  });

  it('lists each installed package with scope as group, its purl as bom-ref, hashes and licenses', () => {
    const { bom } = generateNpmSbom(demoProject(), FIXED);

    expect(bom.components).toEqual([
      {
        type: 'library',
        name: 'widget',
        group: '@acme',
        version: '2.1.0',
        'bom-ref': WIDGET,
        hashes: [{ alg: 'SHA-512', content: WIDGET_SHA512.hex }],
        licenses: [{ license: { id: 'Apache-2.0' } }],
        purl: WIDGET,
      },
      {
        type: 'library',
        name: 'left-pad',
        version: '1.3.0',
        'bom-ref': PAD_1,
        hashes: [{ alg: 'SHA-512', content: PAD_SHA512.hex }],
        licenses: [{ license: { id: 'WTFPL' } }],
        purl: PAD_1,
      },
      {
        type: 'library',
        name: 'left-pad',
        version: '2.0.0',
        'bom-ref': PAD_2,
        hashes: [{ alg: 'SHA-1', content: NESTED_PAD_SHA1.hex }],
        purl: PAD_2,
      },
      expect.objectContaining({
        name: 'tiny',
        'bom-ref': TINY,
        licenses: [{ expression: '(MIT OR Apache-2.0)' }],
      }),
    ]);
    expect(WIDGET_SHA512.hex).toMatch(/^[0-9a-f]{128}$/);
    expect(NESTED_PAD_SHA1.hex).toMatch(/^[0-9a-f]{40}$/);
  });

  it('describes the project as the metadata component and mc as the tool', () => {
    const { bom } = generateNpmSbom(demoProject(), FIXED);

    expect(bom.serialNumber).toBe(FIXED.serialNumber);
    expect(bom.metadata?.timestamp).toBe('2025-01-02T03:04:05.000Z');
    expect(bom.metadata?.component).toEqual({
      type: 'application',
      name: 'demo-app',
      version: '1.0.0',
      'bom-ref': ROOT,
      licenses: [{ license: { id: 'MIT' } }],
      purl: ROOT,
    });
    expect(bom.metadata?.tools).toEqual([
      expect.objectContaining({ vendor: 'Maestro Conductor', name: 'mc' }),
    ]);
  });

  it('resolves each dependency the way npm does: nested node_modules first, then upward', () => {
    const { bom } = generateNpmSbom(demoProject(), FIXED);

    expect(graph(bom)).toEqual({
      [ROOT]: [WIDGET, PAD_1],
      [WIDGET]: [PAD_2, TINY],
      [PAD_1]: [],
      [PAD_2]: [],
      [TINY]: [PAD_1],
    });
  });

  it('leaves out dev-only packages unless asked, and then links them', () => {
    const { bom } = generateNpmSbom(demoProject(), { ...FIXED, includeDev: true });

    expect(bom.components?.map((c) => c['bom-ref'])).toEqual(
      expect.arrayContaining([RUNNER, HELPER, WIDGET, PAD_1, PAD_2, TINY]),
    );
    expect(bom.components).toHaveLength(6);
    expect(graph(bom)[ROOT]).toEqual([WIDGET, PAD_1, RUNNER, TINY]);
    expect(graph(bom)[RUNNER]).toEqual([HELPER, TINY]);
  });

  it('gives the same text for the same lockfile, whatever the order of its entries', () => {
    const reversed = Object.fromEntries(Object.entries(DEMO_PACKAGES).reverse());

    const first = generateNpmSbom(demoProject(), FIXED).json;
    const again = generateNpmSbom(demoProject(), FIXED).json;
    const shuffled = generateNpmSbom(demoProject(reversed), FIXED).json;
    const unpinned = generateNpmSbom(demoProject()).json;

    expect(again).toBe(first);
    expect(shuffled).toBe(first);
    expect(unpinned).not.toBe(first);
  });

  it('names a package installed under an alias by its real name, and counts workspaces as dependencies', () => {
    const dir = projectDir({
      'package.json': {
        name: 'mono',
        version: '0.0.0',
        workspaces: ['packages/*'],
        dependencies: { pad: 'npm:left-pad@^1' },
      },
      'package-lock.json': {
        lockfileVersion: 3,
        packages: {
          '': { name: 'mono', version: '0.0.0', workspaces: ['packages/*'] },
          'node_modules/pad': { name: 'left-pad', version: '1.3.0', integrity: PAD_SHA512.sri },
          'node_modules/@mono/lib': { resolved: 'packages/lib', link: true },
          'packages/lib': { name: '@mono/lib', version: '0.2.0', dependencies: { pad: '*' } },
        },
      },
    });

    const { bom } = generateNpmSbom(dir, FIXED);

    const lib = 'pkg:npm/%40mono/lib@0.2.0';
    expect(bom.components?.map((c) => [c.group, c.name, c.purl])).toEqual([
      ['@mono', 'lib', lib],
      [undefined, 'left-pad', PAD_1],
    ]);
    expect(graph(bom)).toEqual({ 'pkg:npm/mono@0.0.0': [lib, PAD_1], [lib]: [PAD_1], [PAD_1]: [] });
  });

  it('marks a package fetched from outside the registry in its purl', () => {
    const dir = projectDir({
      'package.json': { name: 'app', version: '1.0.0', dependencies: { forked: 'github:me/forked' } },
      'package-lock.json': {
        lockfileVersion: 3,
        packages: {
          '': { name: 'app', version: '1.0.0' },
          'node_modules/forked': {
            version: '1.0.0',
            resolved: 'git+ssh://git@github.com/me/forked.git#abc123',
          },
        },
      },
    });

    const { bom } = generateNpmSbom(dir, FIXED);

    expect(bom.components?.[0].purl).toBe(
      'pkg:npm/forked@1.0.0?vcs_url=git%2Bssh%3A%2F%2Fgit%40github.com%2Fme%2Fforked.git%23abc123',
    );
  });

  it('reads back with the scoped package under its npm name', () => {
    const { json } = generateNpmSbom(demoProject(), FIXED);

    const read = readSbom(json, 'sbom.cdx.json');

    expect(read.subject).toEqual({ name: 'demo-app', version: '1.0.0', purl: ROOT });
    expect(read.components.map((c) => c.name)).toEqual(['@acme/widget', 'left-pad', 'left-pad', 'tiny']);
  });
});

describe('generateNpmSbom without a usable lockfile', () => {
  it('says to create one when there is none', () => {
    const dir = projectDir({ 'package.json': { name: 'x', version: '1.0.0' } });

    const error = catchError(() => generateNpmSbom(dir));

    expect(error).toBeInstanceOf(SbomError);
    expect(error).toMatchObject({ code: 'NO_LOCKFILE' });
    expect(error.message).toContain(`${dir}/package-lock.json: not found`);
    expect(error.message).toContain('npm install --package-lock-only');
  });

  it('names a lockfile that is not JSON', () => {
    const dir = projectDir({ 'package.json': { name: 'x' }, 'package-lock.json': '{"lockfileVersion": 3, ' });

    const error = catchError(() => generateNpmSbom(dir));

    expect(error).toMatchObject({ code: 'BROKEN_FILE' });
    expect(error.message).toMatch(new RegExp(`^${literal(dir)}/package-lock\\.json: not JSON`));
  });

  it('names a lockfileVersion 1 lockfile, which has no packages map', () => {
    const dir = projectDir({
      'package.json': { name: 'x' },
      'package-lock.json': { lockfileVersion: 1, dependencies: {} },
    });

    const error = catchError(() => generateNpmSbom(dir));

    expect(error).toMatchObject({ code: 'BROKEN_FILE' });
    expect(error.message).toContain(`${dir}/package-lock.json: no "packages" map (lockfileVersion 1)`);
  });

  it('names a package.json that is not JSON', () => {
    const dir = projectDir({
      'package.json': 'name: x',
      'package-lock.json': { lockfileVersion: 3, packages: {} },
    });

    expect(() => generateNpmSbom(dir)).toThrow(new RegExp(`^${literal(dir)}/package\\.json: not JSON`));
  });
});

function catchError(act: () => unknown): Error {
  try {
    act();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
