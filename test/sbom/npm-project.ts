// Builds throw-away npm projects (package.json + lockfileVersion 3 package-lock.json) for the SBOM tests.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Subresource integrity of some bytes, as npm writes it, and the hex a CycloneDX hash must carry. */
export function integrity(algorithm: 'sha512' | 'sha1', seed: string): { sri: string; hex: string } {
  const digest = createHash(algorithm).update(seed).digest();
  return { sri: `${algorithm}-${digest.toString('base64')}`, hex: digest.toString('hex') };
}

export const WIDGET_SHA512 = integrity('sha512', '@acme/widget@2.1.0');
export const NESTED_PAD_SHA1 = integrity('sha1', 'left-pad@2.0.0');
export const PAD_SHA512 = integrity('sha512', 'left-pad@1.3.0');

/**
 * demo-app 1.0.0 depends on @acme/widget and left-pad 1.3.0, and (dev) on test-runner and tiny.
 * widget depends on left-pad 2.0.0, installed nested under it, and on tiny; tiny on left-pad 1.3.0;
 * test-runner (dev only) on tiny and dev-helper (dev only).
 */
export const DEMO_MANIFEST = {
  name: 'demo-app',
  version: '1.0.0',
  license: 'MIT',
  dependencies: { '@acme/widget': '^2.0.0', 'left-pad': '^1.3.0' },
  devDependencies: { 'test-runner': '^1.0.0', tiny: '^1.0.0' },
};

export const DEMO_PACKAGES: Record<string, unknown> = {
  '': { ...DEMO_MANIFEST },
  'node_modules/@acme/widget': {
    version: '2.1.0',
    resolved: 'https://registry.npmjs.org/@acme/widget/-/widget-2.1.0.tgz',
    integrity: WIDGET_SHA512.sri,
    license: 'Apache-2.0',
    dependencies: { 'left-pad': '^2.0.0', tiny: '^1.0.0' },
  },
  'node_modules/@acme/widget/node_modules/left-pad': {
    version: '2.0.0',
    resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-2.0.0.tgz',
    integrity: NESTED_PAD_SHA1.sri,
  },
  'node_modules/left-pad': {
    version: '1.3.0',
    resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz',
    integrity: PAD_SHA512.sri,
    license: 'WTFPL',
  },
  'node_modules/tiny': {
    version: '1.0.0',
    resolved: 'https://registry.npmjs.org/tiny/-/tiny-1.0.0.tgz',
    integrity: integrity('sha512', 'tiny@1.0.0').sri,
    license: '(MIT OR Apache-2.0)',
    dependencies: { 'left-pad': '^1.0.0' },
  },
  'node_modules/test-runner': {
    version: '1.0.0',
    resolved: 'https://registry.npmjs.org/test-runner/-/test-runner-1.0.0.tgz',
    integrity: integrity('sha512', 'test-runner@1.0.0').sri,
    dev: true,
    license: 'ISC',
    dependencies: { tiny: '^1.0.0', 'dev-helper': '0.1.0' },
  },
  'node_modules/dev-helper': {
    version: '0.1.0',
    resolved: 'https://registry.npmjs.org/dev-helper/-/dev-helper-0.1.0.tgz',
    integrity: integrity('sha512', 'dev-helper@0.1.0').sri,
    dev: true,
  },
};

/** A temp directory holding the given files (objects are written as JSON, strings as they are). */
export function projectDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mc-sbom-'));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

/** The demo project; `packages` replaces the lock's packages map (to reorder or vary it). */
export function demoProject(packages: Record<string, unknown> = DEMO_PACKAGES): string {
  return projectDir({
    'package.json': DEMO_MANIFEST,
    'package-lock.json': { name: 'demo-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages },
  });
}

export const FIXED = {
  now: new Date('2025-01-02T03:04:05.000Z'),
  serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
};
