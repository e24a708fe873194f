import { describe, expect, it } from 'vitest';
import {
  formatDiagnostic,
  MAX_ALIAS_COUNT,
  MAX_SOURCE_BYTES,
  parseSource,
} from '../../lib/pipeline/index.js';

const messages = (text: string) => parseSource('f.yaml', text).diagnostics.map(formatDiagnostic);

describe('parseSource', () => {
  it('reads a plain document and locates keys and values', () => {
    const { value, source, diagnostics } = parseSource('f.yaml', 'a:\n  b: [1, 2]\n');
    expect(diagnostics).toEqual([]);
    expect(value).toEqual({ a: { b: [1, 2] } });
    expect(source.locate('/a/b/1')).toEqual({ line: 2, column: 10 });
    expect(source.locate('/a/b', { key: true })).toEqual({ line: 2, column: 3 });
    expect(source.locate('/a/missing')).toEqual({ line: 2, column: 3 });
  });

  describe('when the input is hostile or broken', () => {
    it('reports a YAML syntax error at its position', () => {
      expect(messages('a: [1, 2\nb: 3\n')[0]).toMatch(/^f\.yaml:\d+:\d+: YAML: /);
    });

    it('rejects duplicate keys', () => {
      expect(messages('a: 1\na: 2\n')).toEqual([
        expect.stringMatching(/^f\.yaml:2:1: YAML: Map keys must be unique/),
      ]);
    });

    it('refuses an alias bomb instead of expanding it', () => {
      const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 0; i < 8; i++)
        bomb.push(
          `${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(10)
            .fill(`*${i === 0 ? 'a' : 'bcdefghi'[i - 1]}`)
            .join(', ')}]`,
        );
      const result = parseSource('f.yaml', `${bomb.join('\n')}\n`);
      expect(result.value).toBeUndefined();
      expect(result.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/alias/i)]);
    });

    it('allows up to MAX_ALIAS_COUNT alias uses and refuses more', () => {
      const doc = (n: number) => `a: &a x\nb: [${Array(n).fill('*a').join(', ')}]\n`;
      expect(parseSource('f.yaml', doc(MAX_ALIAS_COUNT)).diagnostics).toEqual([]);
      expect(parseSource('f.yaml', doc(MAX_ALIAS_COUNT + 1)).value).toBeUndefined();
    });

    it('refuses a file over the size limit before parsing it', () => {
      const text = `a: "${'x'.repeat(MAX_SOURCE_BYTES)}"\n`;
      expect(messages(text)).toEqual([
        'f.yaml:1:1: file is 2,097,158 bytes; a pipeline may be at most 2 MiB [/]',
      ]);
    });

    it.each(['__proto__', 'constructor', 'prototype'])('rejects the key %s', (key) => {
      expect(messages(`a:\n  ${key}:\n    polluted: true\n`)).toEqual([
        `f.yaml:2:3: the key "${key}" is not allowed [/a/${key}]`,
      ]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('rejects deep nesting without overflowing the stack', () => {
      const result = parseSource('f.yaml', `${'['.repeat(5000)}${']'.repeat(5000)}\n`);
      expect(result.value).toBeUndefined();
      expect(result.diagnostics.length).toBeGreaterThan(0);
    });

    it('rejects several documents in one file', () => {
      expect(messages('a: 1\n---\nb: 2\n')).toEqual([
        'f.yaml:2:1: expected one YAML document, found more (remove the "---") [/]',
      ]);
    });

    it('rejects complex keys', () => {
      expect(messages('? [a, b]\n: c\n')).toEqual([
        'f.yaml:1:1: keys must be plain strings, not lists, maps or aliases [/]',
      ]);
    });

    it('reports an empty file', () => {
      expect(messages('')).toEqual(['f.yaml:1:1: file is empty [/]']);
    });
  });
});
