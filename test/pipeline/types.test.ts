import { describe, expect, it } from 'vitest';
import { readRepoFile } from '../support/pipelines.js';

describe('lib/pipeline/types.generated.ts', () => {
  it('is what scripts/gen-types.mjs makes from the schema today', async () => {
    const { generate } = await import('../../scripts/gen-types.mjs');
    expect(readRepoFile('lib/pipeline/types.generated.ts')).toBe(await generate());
  });
});
