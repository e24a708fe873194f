import { readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { UsageError } from './errors.js';

/** A file named on the command line: resolved from the working directory, shown as the user wrote it. */
export interface InputFile {
  readonly path: string;
  readonly display: string;
  readonly text: string;
}

export function readInputFile(cwd: string, name: string): InputFile {
  const path = resolve(cwd, name);
  let text: string;
  try {
    if (statSync(path).isDirectory())
      throw new UsageError(`${name} is a directory; give the pipeline file (e.g. ${name}/build.yaml)`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code ?? error);
    throw new UsageError(`cannot read ${name}: ${reason}`, { cause: error });
  }
  const display = relative(cwd, path).startsWith('..') ? path : relative(cwd, path) || name;
  return { path, display, text };
}
