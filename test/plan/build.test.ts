import { describe, expect, it } from 'vitest';
import { loadPipeline } from '../../lib/pipeline/index.js';
import { analyzePipeline, buildPlan, type Plan } from '../../lib/plan/index.js';
import { pipelineYaml, readRepoFile } from '../support/pipelines.js';

function plan(stages: string, spec = '', env: 'dev' | 'prod' = 'dev'): Plan {
  const { pipeline, diagnostics } = loadPipeline('f.yaml', pipelineYaml(stages, spec));
  if (!pipeline) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const result = buildPlan(pipeline, { env });
  if (!result.plan) throw new Error(result.issues.map((i) => i.message).join('\n'));
  return result.plan;
}

const deps = (p: Plan) => Object.fromEntries(p.nodes.map((n) => [n.id, n.dependsOn]));

describe('buildPlan', () => {
  describe('in a stage without parallel', () => {
    it('runs steps in order and starts after the stages it depends on', () => {
      const p = plan(`    - name: a
      steps: [{name: one, command: x}, {name: two, command: y}]
    - name: b
      depends_on: [a]
      steps: [{name: three, command: z}]
`);
      expect(deps(p)).toEqual({ 'a/one': [], 'a/two': ['a/one'], 'b/three': ['a/two'] });
      expect(p.order).toEqual(['a/one', 'a/two', 'b/three']);
      expect(p.criticalPath).toEqual(['a/one', 'a/two', 'b/three']);
    });

    it('pairs for_each nodes of consecutive steps item by item', () => {
      const p = plan(
        `    - name: pkg
      steps:
        - {name: build, action: docker-build, for_each: "\${{ services }}"}
        - {name: push, action: docker-push, for_each: "\${{ services }}"}
`,
        '  services: [{name: api}, {name: web}]\n',
      );
      expect(deps(p)).toEqual({
        'pkg/build[api]': [],
        'pkg/build[web]': [],
        'pkg/push[api]': ['pkg/build[api]'],
        'pkg/push[web]': ['pkg/build[web]'],
      });
    });
  });

  it('lets the steps of a parallel stage start together', () => {
    const p = plan(
      '    - name: a\n      parallel: true\n      steps: [{name: x, command: x}, {name: y, command: y}]\n',
    );
    expect(p.levels).toEqual([['a/x', 'a/y']]);
  });

  it('expands only the matrix dimensions a step uses, in declaration order', () => {
    const p = plan(
      `    - name: t
      steps:
        - {name: test, command: "node\${{ matrix.node }} --os \${{ matrix.os }}"}
        - {name: report, command: "echo done"}
`,
      '  matrix:\n    os: [linux, mac]\n    node: [22, 24]\n    unused: [a, b, c]\n',
    );
    expect(p.nodes.map((n) => n.id)).toEqual([
      't/test[linux,22]',
      't/test[linux,24]',
      't/test[mac,22]',
      't/test[mac,24]',
      't/report',
    ]);
    expect(p.nodes[1].command).toBe('node24 --os linux');
    expect(p.nodes[4].dependsOn).toHaveLength(4);
  });

  it('puts the for_each item before the matrix values in ids', () => {
    const p = plan(
      '    - name: t\n      steps:\n        - {name: test, for_each: [a, b], command: "run ${{ item }} ${{ matrix.n }}"}\n',
      '  matrix:\n    n: [1, 2]\n',
    );
    expect(p.nodes.map((n) => n.id)).toEqual(['t/test[a,1]', 't/test[a,2]', 't/test[b,1]', 't/test[b,2]']);
  });

  describe('with conditions', () => {
    it('keeps a node whose condition is false at plan time, marked skipped', () => {
      const p = plan(
        '    - name: a\n      condition: profile == "prod"\n      steps: [{name: x, command: x}]\n',
      );
      expect(p.nodes[0].skip).toEqual({ reason: 'condition is false at plan time: profile == "prod"' });
    });

    it('carries a condition that needs the run into the plan', () => {
      const p = plan(
        "    - name: a\n      condition: github.ref == 'refs/heads/main'\n      steps: [{name: x, command: x}]\n",
      );
      expect(p.nodes[0]).toMatchObject({ condition: "github.ref == 'refs/heads/main'" });
      expect(p.nodes[0].skip).toBeUndefined();
    });
  });

  it('resolves the profile for the environment with prod guarantees', () => {
    const p = plan('    - name: a\n      steps: [{name: x, command: x}]\n', '', 'prod');
    expect(p.profile).toMatchObject({
      require_signature: true,
      require_provenance: true,
      sbom_policy: 'enforce',
    });
  });

  it('reports a stage cycle with its path at the depends_on that closes it', () => {
    const text = pipelineYaml(`    - name: a
      depends_on: [c]
      steps: [{name: x, command: x}]
    - name: b
      depends_on: [a]
      steps: [{name: x, command: x}]
    - name: c
      depends_on: [b]
      steps: [{name: x, command: x}]
`);
    const { diagnostics } = analyzePipeline('f.yaml', text);
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      '9:20 dependency cycle: a → c → b → a (each stage depends on the next)',
    ]);
  });

  it('refuses for_each items that would give two nodes the same id', () => {
    const text = pipelineYaml('    - name: a\n      steps: [{name: x, for_each: [api, api], command: x}]\n');
    expect(analyzePipeline('f.yaml', text).diagnostics.map((d) => d.message)).toEqual([
      'two items of for_each are both named "api"; node ids must be unique',
    ]);
  });

  it('refuses a matrix dimension that does not exist', () => {
    const text = pipelineYaml(
      '    - name: a\n      steps: [{name: x, command: "${{ matrix.nope }}"}]\n',
      '  matrix:\n    os: [linux]\n',
    );
    expect(analyzePipeline('f.yaml', text).diagnostics.map((d) => d.message)).toEqual([
      'matrix has no dimension "nope" (spec.matrix declares os)',
    ]);
  });

  it('plans the 27.0 fixture with stable ids', () => {
    const { plan: p } = analyzePipeline(
      'legacy.yaml',
      readRepoFile('test/fixtures/pipelines/legacy-27.0.yaml'),
    );
    expect(p?.order).toEqual([
      'checkout/checkout',
      'checkout/setup-node[18]',
      'checkout/setup-node[20]',
      'test/unit[api]',
      'test/unit[web]',
      'build/docker-build[api]',
      'build/docker-build[web]',
      'build/sbom[api]',
      'build/sbom[web]',
      'build/scan[api]',
      'build/scan[web]',
      'publish/push[api]',
      'publish/push[web]',
      'publish/sign[api]',
      'publish/sign[web]',
      'publish/attest[api]',
      'publish/attest[web]',
    ]);
  });
});

describe('buildPlan, on edge cases found in review', () => {
  const ids = (text: string) => analyzePipeline('f.yaml', text).plan?.nodes.map((n) => [n.id, n.dependsOn]);

  it('honours depends_on on a stage declared later', () => {
    const text = pipelineYaml(
      '    - name: a\n      depends_on: [b]\n      steps: [{name: x, command: x}]\n    - name: b\n      steps: [{name: y, command: y}]\n',
    );
    expect(ids(text)).toEqual([
      ['a/x', ['b/y']],
      ['b/y', []],
    ]);
  });

  it('accepts a condition wrapped in ${{ }}', () => {
    const text = pipelineYaml(
      "    - name: a\n      condition: ${{ profile == 'prod' }}\n      steps: [{name: x, command: x}]\n",
    );
    expect(analyzePipeline('f.yaml', text).plan?.nodes[0].skip?.reason).toBe(
      "condition is false at plan time: profile == 'prod'",
    );
  });

  it('keeps ordering through a stage whose for_each gives no items, and warns', () => {
    const text = pipelineYaml(`    - name: a
      steps: [{name: first, command: x}]
    - name: b
      depends_on: [a]
      steps: [{name: each, for_each: "\${{ services }}", command: x}]
    - name: c
      depends_on: [b]
      steps: [{name: z, command: x}]
`);
    const analysis = analyzePipeline('f.yaml', text);
    expect(analysis.plan?.nodes.map((n) => [n.id, n.dependsOn])).toEqual([
      ['a/first', []],
      ['c/z', ['a/first']],
    ]);
    expect(analysis.diagnostics.map((d) => d.severity)).toEqual(['warning']);
  });

  it('substitutes plan-time expressions in env values', () => {
    const text = pipelineYaml(
      '    - name: a\n      steps: [{name: x, command: x}]\n',
      '  env:\n    TARGET: "deploy-${{ profile }}"\n',
    );
    expect(analyzePipeline('f.yaml', text, { env: 'staging' }).plan?.variables).toEqual({
      TARGET: 'deploy-staging',
    });
  });

  it('flattens artifacts given as one expression', () => {
    const text = pipelineYaml(
      '    - name: a\n      steps: [{name: x, command: x, artifacts: ["${{ services.map(s, s.name) }}"]}]\n',
      '  services: [{name: api}, {name: web}]\n',
    );
    expect(analyzePipeline('f.yaml', text).plan?.nodes[0].artifacts).toEqual(['api', 'web']);
  });

  it('refuses for_each items and matrix values that cannot name a node', () => {
    const text = pipelineYaml(
      '    - name: a\n      steps: [{name: x, for_each: ["../../etc", "ok"], command: x}]\n',
    );
    expect(analyzePipeline('f.yaml', text).diagnostics.map((d) => d.message)).toEqual([
      "for_each item \"../../etc\" cannot name a node: use letters, digits and . _ - + @ = : ~ only (no spaces, '/', ',' or brackets)",
    ]);
    const matrix = pipelineYaml(
      '    - name: a\n      steps: [{name: x, command: "${{ matrix.os }}"}]\n',
      '  matrix:\n    os: ["ubuntu 22.04"]\n',
    );
    expect(analyzePipeline('f.yaml', matrix).diagnostics.map((d) => d.pointer)).toEqual([
      '/spec/matrix/os/0',
    ]);
  });

  it('refuses a for_each over the matrix, read from the expression rather than its text', () => {
    const spec = '  matrix:\n    os: [linux]\n  services: [{name: matrix-api}]\n';
    const bad = pipelineYaml(
      '    - name: a\n      steps: [{name: x, for_each: "${{ matrix.os }}", command: x}]\n',
      spec,
    );
    expect(analyzePipeline('f.yaml', bad).diagnostics.map((d) => d.message)).toEqual([
      'for_each cannot use matrix: a step that reads matrix.<name> already runs once per value',
    ]);
    const fine = pipelineYaml(
      '    - name: a\n      steps: [{name: x, for_each: "${{ services.filter(s, s.name == \'matrix-api\') }}", command: x}]\n',
      spec,
    );
    expect(analyzePipeline('f.yaml', fine).plan?.nodes.map((n) => n.id)).toEqual(['a/x[matrix-api]']);
  });

  it('refuses run-time expressions in the inputs of a command step', () => {
    const text = pipelineYaml(
      '    - name: a\n      steps: [{name: x, command: "echo $MC_INPUT_SHA", with: {sha: "${{ github.sha }}"}}]\n',
    );
    expect(analyzePipeline('f.yaml', text).diagnostics.map((d) => d.pointer)).toEqual([
      '/spec/stages/0/steps/0/with/sha',
    ]);
  });

  it('refuses action run without a command', () => {
    const text = pipelineYaml('    - name: a\n      steps: [{name: x, action: run}]\n');
    expect(analyzePipeline('f.yaml', text).diagnostics.map((d) => d.message)).toEqual([
      'spec.stages[0].steps[0] needs "command": a step without an action, or with action run, runs a command',
    ]);
  });
});

describe('caches in the plan', () => {
  const stages = '    - name: a\n      steps: [{name: s, command: x}]\n';
  const issuesOf = (spec: string) => {
    const { pipeline } = loadPipeline('f.yaml', pipelineYaml(stages, spec));
    if (!pipeline) throw new Error('must load');
    return buildPlan(pipeline).issues.map((i) => `${i.pointer}: ${i.message}`);
  };

  it('substitutes plan-time values in keys and leaves hashFiles() for the build', () => {
    const p = plan(
      stages,
      "  env: {TOOL: node22}\n  cache:\n    npm:\n      key: npm-${{ env.TOOL }}-${{ hashFiles('package-lock.json') }}\n      paths: [~/.npm, node_modules]\n    apt: {key: apt-v1, paths: [/var/cache/apt]}\n",
    );
    expect(p.caches).toEqual([
      { name: 'apt', key: 'apt-v1', paths: ['/var/cache/apt'] },
      {
        name: 'npm',
        key: "npm-node22-${{ hashFiles('package-lock.json') }}",
        paths: ['~/.npm', 'node_modules'],
      },
    ]);
  });

  it('refuses keys that need run values besides hashFiles(), and paths that leave the workspace', () => {
    expect(issuesOf('  cache:\n    a: {key: "k-${{ github.sha }}", paths: [x]}\n')).toEqual([
      expect.stringMatching(
        /^\/spec\/cache\/a\/key: a cache key's hashFiles\(\) expressions cannot use variables \(github\.sha\)/,
      ),
    ]);
    expect(issuesOf('  cache:\n    a: {key: k, paths: [ok, ../up]}\n')).toEqual([
      '/spec/cache/a/paths/1: cache path ../up leaves the workspace; use a path inside it, ~/… or an absolute path',
    ]);
  });

  it('has no caches entry when the pipeline declares none', () => {
    expect(plan(stages).caches).toBeUndefined();
  });
});

describe('artifacts', () => {
  it('must stay inside the workspace', () => {
    const { pipeline } = loadPipeline(
      'f.yaml',
      pipelineYaml(
        '    - name: a\n      steps: [{name: s, command: x, artifacts: [dist/ok.tgz, ../../etc/passwd, /etc/shadow]}]\n',
      ),
    );
    if (!pipeline) throw new Error('must load');
    expect(buildPlan(pipeline).issues.map((i) => `${i.pointer}: ${i.message}`)).toEqual([
      '/spec/stages/0/steps/0/artifacts/1: artifact ../../etc/passwd is outside the workspace; give a path relative to it, without ..',
      '/spec/stages/0/steps/0/artifacts/2: artifact /etc/shadow is outside the workspace; give a path relative to it, without ..',
    ]);
  });
});
