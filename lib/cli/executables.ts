import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The path of `name` on PATH, or undefined when it is not installed. */
export function findExecutable(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
