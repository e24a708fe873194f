import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { McError } from '../errors/index.js';

const PACKAGE_NAME = 'maestro-conductor';
let cached: string | undefined;

// The package ships its schemas, policies and examples; find them from wherever this module runs
// (the TypeScript sources under lib/ or the bundle under dist/), never from the current directory.
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === PACKAGE_NAME) {
      cached = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new McError(
        'PACKAGE_ROOT_NOT_FOUND',
        `cannot find the ${PACKAGE_NAME} package root above ${import.meta.url}`,
      );
    }
    dir = parent;
  }
}

/** Absolute path of a file shipped inside the package, e.g. `packagePath('schema', 'x.json')`. */
export function packagePath(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}
