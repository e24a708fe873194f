import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../lib/pipeline/index.js';
import { analyzePipeline } from '../../lib/plan/index.js';
import { readRepoFile } from '../support/pipelines.js';

// Golden error messages: the exact lines a person sees. Update the .expected.txt files on purpose only.
describe.each(['errors', 'semantic-errors', 'legacy-27.0'])('the fixture %s.yaml', (name) => {
  it('produces exactly the expected diagnostics', () => {
    const file = `test/fixtures/pipelines/${name}.yaml`;
    const { diagnostics } = analyzePipeline(file, readRepoFile(file));
    const expected = readFileSync(
      new URL(`../fixtures/pipelines/${name}.expected.txt`, import.meta.url),
      'utf8',
    );
    expect(`${diagnostics.map(formatDiagnostic).join('\n')}\n`).toBe(expected);
  });
});
