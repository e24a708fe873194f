import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { packagePath } from '../paths/index.js';

/**
 * The environment stage commands run with locally: this process's, the request's over it, and
 * `mc` on PATH (a shim in `.mc/bin` running this package's CLI), as the stage-runner image has
 * it on AWS; the sbom and scan actions call it.
 */
export function commandEnvironment(
  home: string,
  env: Readonly<Record<string, string | undefined>>,
): NodeJS.ProcessEnv {
  const bin = join(home, 'bin');
  mkdirSync(bin, { recursive: true });
  const shim = join(bin, 'mc');
  const script = `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(packagePath('dist', 'mc.js'))} "$@"\n`;
  // Replaced whole (write, then rename) and only when it changes: another run may be using it.
  if (!existsSync(shim) || readFileSync(shim, 'utf8') !== script) {
    const next = `${shim}.${process.pid}`;
    writeFileSync(next, script, { mode: 0o755 });
    renameSync(next, shim);
  }
  // The signing key's passphrase is mc's secret, never a stage command's.
  const { MC_KEY_PASSPHRASE: _secret, ...merged } = { ...process.env, ...env };
  return { ...merged, PATH: [bin, merged.PATH].filter(Boolean).join(delimiter) };
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
