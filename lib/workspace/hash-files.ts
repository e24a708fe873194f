import { createHash } from 'node:crypto';
import { globSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { HashFiles } from '../expr/index.js';

/**
 * `hashFiles(pattern, …)` as GitHub Actions defines it: the SHA-256 over the SHA-256 of every
 * file the glob patterns match under `root` (in path order), or '' when none matches.
 */
export function hashFilesIn(root: string): HashFiles {
  return (patterns) => {
    const files = new Set<string>();
    for (const pattern of patterns) {
      for (const file of globSync(pattern, {
        cwd: root,
        exclude: (name) => name === '.git' || name === 'node_modules',
      })) {
        if (statSync(join(root, file)).isFile()) files.add(file);
      }
    }
    if (files.size === 0) return '';
    const outer = createHash('sha256');
    for (const file of [...files].sort())
      outer.update(
        createHash('sha256')
          .update(readFileSync(join(root, file)))
          .digest(),
      );
    return outer.digest('hex');
  };
}
