import { describe, expect, it } from 'vitest';
import { loadPipeline, migratePipeline } from '../../lib/pipeline/index.js';
import { EXAMPLES, pipelineYaml, readRepoFile } from '../support/pipelines.js';

describe('loadPipeline', () => {
  it.each(EXAMPLES)('loads the %s example without diagnostics', (name) => {
    const loaded = loadPipeline('build.yaml', readRepoFile(`examples/${name}/build.yaml`));
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.pipeline?.metadata.version).toBe('27.1.0');
  });

  describe('when the file is in the 27.0 shape', () => {
    const loaded = loadPipeline('legacy.yaml', readRepoFile('test/fixtures/pipelines/legacy-27.0.yaml'));

    it('accepts it and migrates it to 27.1 in memory', () => {
      expect(loaded.sourceVersion).toBe('27.0.0');
      expect(loaded.pipeline?.metadata.version).toBe('27.1.0');
      expect(loaded.pipeline?.spec.fail_fast).toBe(true);
      expect(loaded.migration.map((c) => c.path.join('.'))).toEqual([
        'metadata.version',
        'spec.workspace',
        'spec.fail_fast',
      ]);
    });

    it('leaves the input untouched', () => {
      const original = structuredClone(loaded.pipeline);
      if (!original) throw new Error('fixture must load');
      original.metadata.version = '27.0.3';
      migratePipeline(original);
      expect(original.metadata.version).toBe('27.0.3');
    });
  });

  it('reports every error of every phase it reaches, not only the first', () => {
    const loaded = loadPipeline('f.yaml', pipelineYaml('    - name: a\n      steps: []\n    - nme: b\n'));
    expect(loaded.diagnostics.map((d) => d.message)).toEqual([
      'spec.stages[0].steps needs at least 1 item',
      'spec.stages[1] is missing the required field "name"',
      'spec.stages[1] is missing the required field "steps"',
      'unknown field "nme" in spec.stages[1]; did you mean name?',
    ]);
  });

  it('refuses to let prod drop signatures or provenance', () => {
    const spec = '  profiles:\n    prod:\n      require_provenance: false\n';
    const loaded = loadPipeline(
      'f.yaml',
      pipelineYaml('    - name: a\n      steps: [{name: s, command: "true"}]\n', spec),
    );
    expect(loaded.diagnostics.map((d) => d.message)).toEqual([
      'prod always requires provenance; remove require_provenance: false',
    ]);
  });
});
