import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

const ALWAYS_EXCLUDED = new Set(['.git', '.mc', 'node_modules']);

/**
 * The files a run works on: in a git checkout, what git tracks plus untracked files it does not
 * ignore (uncommitted edits included: a local run tests what is on disk); elsewhere every file but
 * .git, .mc and node_modules. `exclude` (absolute paths, e.g. MC_HOME) is left out too.
 */
export function sourceFiles(root: string, exclude: readonly string[] = []): string[] {
  const excluded = (file: string) =>
    file.split('/').some((part) => ALWAYS_EXCLUDED.has(part)) ||
    exclude.some((e) => join(root, file).startsWith(e + sep));
  const listed = gitFiles(root) ?? walk(root);
  return listed.filter((f) => !excluded(f)).sort();
}

/** Copies the run's source into `dest` (the snapshot every node starts from). */
export function snapshotSource(root: string, dest: string, exclude: readonly string[] = []): number {
  let copied = 0;
  for (const file of sourceFiles(root, exclude)) {
    const from = join(root, file);
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(from);
    } catch {
      continue; // tracked but deleted in the working tree
    }
    if (!stats.isFile()) continue;
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    copyFileSync(from, join(dest, file));
    copied++;
  }
  mkdirSync(dest, { recursive: true });
  return copied;
}

/** A node's starting directory: a copy of the snapshot (each node, like each build, starts clean). */
export function copyTree(from: string, to: string): void {
  cpSync(from, to, { recursive: true, preserveTimestamps: true });
}

function gitFiles(root: string): string[] | undefined {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 256 * 1024 * 1024,
    });
    return out.toString('utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

function walk(root: string): string[] {
  const files: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (ALWAYS_EXCLUDED.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile()) files.push(relative(root, path).split(sep).join('/'));
    }
  };
  visit(root);
  return files;
}
