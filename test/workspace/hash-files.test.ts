import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileExpression, createEnvironment, evaluateExpression } from '../../lib/expr/index.js';
import { hashFilesIn } from '../../lib/workspace/index.js';

describe('hashFiles()', () => {
  const root = mkdtempSync(join(tmpdir(), 'mc-hash-'));
  mkdirSync(join(root, 'a'), { recursive: true });
  writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}');
  writeFileSync(join(root, 'a', 'package-lock.json'), '{}');
  const hash = (source: string) =>
    evaluateExpression(compileExpression(source), {}, createEnvironment(hashFilesIn(root)));

  it('hashes every matching file, in a stable order', () => {
    const value = hash("hashFiles('**/package-lock.json')");
    expect(value).toMatch(/^[0-9a-f]{64}$/);
    expect(hash("hashFiles('a/package-lock.json', 'package-lock.json')")).toBe(value);
    expect(hash("hashFiles('package-lock.json')")).not.toBe(value);
  });

  it('gives an empty string when nothing matches', () => {
    expect(hash("hashFiles('**/*.lock')")).toBe('');
  });
});
