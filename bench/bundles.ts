import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { BUNDLE_EXTERNALS, bundlingOptions } from '../lib/infra/lambda-bundling.js';
import { handlerFile } from '../lib/infra/platform-functions.js';
import { FUNCTIONS, type PlatformFunction } from '../statemachines/index.js';
import { table } from './support.js';

/** Each platform function's bundle must stay under this (issue 7: "each under 1 MB"). */
export const BUNDLE_LIMIT = 1024 * 1024;
const root = resolve(import.meta.dirname, '..');

export interface BundleSize {
  readonly fn: PlatformFunction;
  /** The function's name (`mc-action`, …). */
  readonly name: string;
  /** Where the bundle was written (`<out>/<fn>/index.mjs`). */
  readonly file: string;
  readonly bytes: number;
  /** The biggest contributors (npm package, or the repository folder), bytes in the output. */
  readonly heaviest: readonly { readonly from: string; readonly bytes: number }[];
}

/**
 * Every platform function bundled as the stack bundles it (the options of lambda-bundling.ts, as
 * NodejsFunction hands them to esbuild), with the metafile's account of what weighs.
 */
export async function buildBundles(out = mkdtempSync(join(tmpdir(), 'mc-bundles-'))): Promise<BundleSize[]> {
  return Promise.all(
    (Object.keys(FUNCTIONS) as PlatformFunction[]).map(async (fn) => {
      const dir = join(out, fn);
      const { file, metafile } = await bundleEntry(
        join(root, 'lambdas', 'deployed', `${handlerFile(fn)}.ts`),
        dir,
      );
      return { fn, name: FUNCTIONS[fn], file, bytes: statSync(file).size, heaviest: heaviest(metafile) };
    }),
  );
}

/**
 * One entry bundled into `dir/index.mjs` as NodejsFunction bundles a platform function: the same
 * esbuild options, then the same after-bundling commands (policy/, schema/, the CycloneDX schemas).
 */
export async function bundleEntry(entry: string, dir: string): Promise<{ file: string; metafile: Metafile }> {
  const options = bundlingOptions(root);
  const file = join(dir, 'index.mjs');
  mkdirSync(dir, { recursive: true });
  const { metafile } = await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: options.target,
    minify: options.minify,
    mainFields: options.mainFields,
    external: BUNDLE_EXTERNALS,
    banner: { js: options.banner ?? '' },
    alias: { 'make-fetch-happen': options.esbuildArgs?.['--alias:make-fetch-happen'] as string },
    legalComments: 'none',
    logLevel: 'error',
    metafile: true,
  });
  for (const command of options.commandHooks?.afterBundling(root, dir) ?? [])
    execFileSync('bash', ['-c', command], { stdio: 'pipe' });
  return { file, metafile };
}

// Output bytes by npm package (node_modules/<name>) or, for our code, by top folder (lib/gate).
function heaviest(metafile: Metafile, count = 8): BundleSize['heaviest'] {
  const by = new Map<string, number>();
  for (const output of Object.values(metafile.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input)?.[1];
      const from = pkg ?? input.split('/').slice(0, 2).join('/');
      by.set(from, (by.get(from) ?? 0) + bytesInOutput);
    }
  return [...by]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([from, bytes]) => ({ from, bytes }));
}

const kib = (bytes: number) => (bytes / 1024).toFixed(0);

/**
 * `npm run bench -- bundles`: each platform function's bundle, its size and its zipped size (what
 * Lambda stores), against the 1 MiB budget; a bundle over it makes the bench exit 1, naming what
 * weighs most in it (test/infra/bundles.test.ts fails the same way).
 */
export async function benchBundles(): Promise<string> {
  const sizes = await buildBundles();
  const rows = sizes.map((s) => ({
    function: s.name,
    'bundle KiB': kib(s.bytes),
    'zipped KiB (with policy/, schema/)': kib(
      deflateRawSync(readFileSync(s.file), { level: 9 }).length + shippedFilesZipped(),
    ),
    'under 1 MiB': s.bytes < BUNDLE_LIMIT ? 'yes' : 'NO',
  }));
  const over = sizes.filter((s) => s.bytes >= BUNDLE_LIMIT);
  if (over.length) process.exitCode = 1;
  const report = over.map(
    (s) =>
      `OVER BUDGET: ${s.name} is ${kib(s.bytes)} KiB (limit ${kib(BUNDLE_LIMIT)} KiB); heaviest: ${s.heaviest
        .map((h) => `${h.from} ${kib(h.bytes)} KiB`)
        .join(', ')}`,
  );
  return [`Lambda bundles (esbuild, minified, @aws-sdk/* from the runtime)`, table(rows), ...report].join(
    '\n',
  );
}

let shipped: number | undefined;
// policy/ and schema/ travel with every bundle (the gate reads them at run time).
function shippedFilesZipped(): number {
  if (shipped !== undefined) return shipped;
  let total = 0;
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else total += deflateRawSync(readFileSync(path), { level: 9 }).length;
    }
  };
  for (const dir of ['policy', 'schema']) visit(join(root, dir));
  shipped = total;
  return total;
}
