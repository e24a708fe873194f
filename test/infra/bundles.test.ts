import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_LIMIT, type BundleSize, buildBundles, bundleEntry } from '../../bench/bundles.js';
import { FUNCTIONS } from '../../statemachines/index.js';
import { ROOT } from './support/synth.js';

// The bundles as the stack builds them (the same esbuild options), once for the file: a few seconds.
let sizes: BundleSize[];
let out: string;
beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'mc-bundles-test-'));
  sizes = await buildBundles(out);
}, 60_000);

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

describe.each(Object.values(FUNCTIONS))('the %s bundle', (name) => {
  it('stays under 1 MiB', () => {
    const size = sizes.find((s) => s.name === name) as BundleSize;
    const heaviest = size.heaviest.map((h) => `${h.from} ${kib(h.bytes)}`).join(', ');
    expect(
      size.bytes,
      `${name} is ${kib(size.bytes)}, over ${kib(BUNDLE_LIMIT)}; heaviest: ${heaviest}`,
    ).toBeLessThan(BUNDLE_LIMIT);
  });

  it('loads as Lambda loads it (ESM, the runtime’s AWS SDK) and exports the handler', () => {
    const size = sizes.find((s) => s.name === name) as BundleSize;
    const dir = join(size.file, '..');
    // The Node.js 22 runtime provides @aws-sdk/* and nothing else: the repository's copies stand
    // in for it, and any other package the bundle would load at run time is missing, as on Lambda.
    writeFileSync(join(dir, 'package.json'), '{"name":"maestro-conductor","type":"module","private":true}');
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(join(ROOT, 'node_modules', '@aws-sdk'), join(dir, 'node_modules', '@aws-sdk'));
    const loaded = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(size.file)}); console.log(typeof m.handler);`,
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    // The error line only: the rest is a line of minified code.
    const error = loaded.stderr
      .split('\n')
      .find((line) => /^\w*Error\b/.test(line))
      ?.slice(0, 300);
    expect(error, `${name} fails to load`).toBeUndefined();
    expect(loaded.stdout.trim()).toBe('function');
  });
});

describe('SBOM validation in a bundle', () => {
  it('finds the official CycloneDX schemas the bundle carries, as the deployed gate does', async () => {
    // Prepare
    const dir = join(out, 'validate-sbom');
    const { file } = await bundleEntry(join(ROOT, 'test', 'infra', 'support', 'validate-sbom-entry.ts'), dir);
    const sbom = JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      version: 1,
      components: [{ type: 'library', name: 'x', version: 1 }],
    });

    // Act
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(file)}); console.log(JSON.stringify(await m.validate(process.argv[1])));`,
        sbom,
      ],
      { cwd: dir, encoding: 'utf8' },
    );

    // Assess: the schema is read and applied (version must be a string).
    expect(run.stderr.split('\n').find((l) => /Error\b/.test(l))).toBeUndefined();
    expect(JSON.parse(run.stdout)).toMatchObject({
      valid: false,
      errors: [expect.stringContaining('version')],
    });
  });
});
