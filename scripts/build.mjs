// Bundles the CLI into dist/mc.js (dependencies stay external), so `mc` runs right after `npm ci`.
import { chmodSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: { mc: 'bin/mc.ts', 'mc-workspace': 'bin/mc-workspace.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  sourcemap: 'linked',
  define: { MC_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
});
for (const bin of ['dist/mc.js', 'dist/mc-workspace.js']) chmodSync(bin, 0o755);
