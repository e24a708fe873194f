// Bundles the CLI into dist/mc.js (dependencies stay external), so `mc` runs right after `npm ci`.
import { chmodSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['bin/mc.ts'],
  outfile: 'dist/mc.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  sourcemap: 'linked',
  define: { MC_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
});
chmodSync('dist/mc.js', 0o755);
