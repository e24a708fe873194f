import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzePipeline } from '../../lib/plan/index.js';
import { EXAMPLES, readRepoFile } from '../support/pipelines.js';

const seeds = [
  ...EXAMPLES.map((e) => readRepoFile(`examples/${e}/build.yaml`)),
  readRepoFile('test/fixtures/pipelines/legacy-27.0.yaml'),
];
const noise = fc.oneof(
  fc.constantFrom(
    ':',
    '-',
    '[',
    ']',
    '{',
    '}',
    '&a',
    '*a',
    '!!',
    '"',
    "'",
    '\n',
    '  ',
    '\t',
    '#',
    '${{',
    '}}',
    '__proto__',
    '\u0000',
    '%YAML 1.2',
    '---',
    '? ',
  ),
  fc.string({ maxLength: 8 }),
);

// Random edits of real pipelines: whatever comes in, the loader answers with diagnostics, never a throw.
const mutated = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(fc.tuple(fc.nat(), fc.nat(40), noise), { minLength: 1, maxLength: 6 }),
  )
  .map(([text, edits]) =>
    edits.reduce((t, [at, cut, insert]) => {
      const i = at % (t.length + 1);
      return t.slice(0, i) + insert + t.slice(i + cut);
    }, text),
  );

describe('the loader on malformed YAML', () => {
  it('never throws and always locates its diagnostics inside the file', () => {
    fc.assert(
      fc.property(mutated, (text) => {
        const lines = text.split('\n').length;
        const { diagnostics } = analyzePipeline('fuzz.yaml', text);
        for (const d of diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lines + 1);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.message).not.toMatch(/\n|at .*\(.*:\d+:\d+\)/);
        }
      }),
      { numRuns: 400 },
    );
  });
});
