import { lstatSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Size and modification time of every file under a directory, to tell later what changed. */
export type Manifest = ReadonlyMap<string, string>;

export function manifest(root: string): Manifest {
  const files = new Map<string, string>();
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile() || entry.isSymbolicLink()) {
        const stats = lstatSync(path);
        files.set(relative(root, path).split(sep).join('/'), `${stats.size}:${stats.mtimeMs}`);
      }
    }
  };
  visit(root);
  return files;
}

/** Files added or modified since `before` (deletions are not carried to dependents). */
export function changedFiles(root: string, before: Manifest): string[] {
  return [...manifest(root)]
    .filter(([file, stamp]) => before.get(file) !== stamp)
    .map(([file]) => file)
    .sort();
}
