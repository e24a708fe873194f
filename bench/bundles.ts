import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUNDLE_EXTERNALS, bundlingOptions } from '../lib/infra/lambda-bundling.js';
import { handlerFile } from '../lib/infra/platform-functions.js';
import { FUNCTIONS, type PlatformFunction } from '../statemachines/index.js';
import { table } from './support.js';

const LIMIT = 1024 * 1024;
const root = resolve(import.meta.dirname, '..');

/**
 * `npm run bench -- bundles`: each platform function bundled as the stack bundles it (same esbuild
 * options), its size and its zipped size (what Lambda stores), against a 1 MB budget each.
 */
export async function benchBundles(): Promise<string> {
  const options = bundlingOptions(root);
  const out = mkdtempSync(join(tmpdir(), 'mc-bundles-'));
  const rows: Record<string, string>[] = [];
  for (const fn of Object.keys(FUNCTIONS) as PlatformFunction[]) {
    const outfile = join(out, fn, 'index.mjs');
    await build({
      entryPoints: [join(root, 'lambdas', 'deployed', `${handlerFile(fn)}.ts`)],
      outfile,
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
    });
    const bytes = statSync(outfile).size;
    const zipped = deflateRawSync(readFileSync(outfile), { level: 9 }).length + shippedFilesZipped();
    rows.push({
      function: FUNCTIONS[fn],
      'bundle KiB': (bytes / 1024).toFixed(0),
      'zipped KiB (with policy/, schema/)': (zipped / 1024).toFixed(0),
      'under 1 MB': bytes < LIMIT ? 'yes' : 'NO',
    });
  }
  return `Lambda bundles (esbuild, minified, @aws-sdk/* from the runtime)\n${table(rows)}`;
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
