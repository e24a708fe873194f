import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SbomError } from '../errors.js';
import { isObject, type Json, parseJsonObject } from '../private/json.js';
import { type LockPackage, lockPackage, type NpmProject } from './lockfile.js';

const EXPECTED_LOCK = 'an npm package-lock.json with lockfileVersion 2 or 3 (a "packages" map)';

/** Reads package.json and package-lock.json of the npm project in `dir`. */
export function readNpmProject(dir: string): NpmProject {
  const lockFile = join(dir, 'package-lock.json');
  const lockText = readText(lockFile);
  if (lockText === undefined) {
    throw new SbomError(
      'NO_LOCKFILE',
      `${lockFile}: not found; an npm SBOM is made from the lockfile — run \`npm install --package-lock-only\` in ${dir} to write it`,
    );
  }
  const lock = parseJsonObject(lockText, lockFile, EXPECTED_LOCK);
  if (!isObject(lock.packages)) {
    const version =
      lock.lockfileVersion === undefined ? '' : ` (lockfileVersion ${String(lock.lockfileVersion)})`;
    throw new SbomError(
      'BROKEN_FILE',
      `${lockFile}: no "packages" map${version}; expected ${EXPECTED_LOCK} — regenerate it with npm 7 or later: \`npm install --package-lock-only\``,
    );
  }
  const packages = new Map<string, LockPackage>(
    Object.entries(lock.packages).map(([location, entry]) => [location, lockPackage(entry)]),
  );

  const manifestFile = join(dir, 'package.json');
  const manifestText = readText(manifestFile);
  const manifest =
    manifestText === undefined
      ? ((lock.packages[''] as Json | undefined) ?? {})
      : parseJsonObject(manifestText, manifestFile, 'a package.json object');
  return { manifest, packages };
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SbomError('BROKEN_FILE', `${file}: cannot be read (${(error as Error).message})`, {
      cause: error,
    });
  }
}
