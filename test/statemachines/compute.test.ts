import { describe, expect, it } from 'vitest';
import { analyzePipeline } from '../../lib/plan/index.js';
import { compilePipeline, type StateMachineDefinition } from '../../statemachines/index.js';
import { pipelineYaml } from '../support/pipelines.js';

function plan(stages: string, spec = '') {
  return analyzePipeline('build.yaml', pipelineYaml(stages, spec), { env: 'dev' });
}

// Each build state's project and timeout, by state name.
function builds(definition: StateMachineDefinition): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  const visit = (d: StateMachineDefinition) => {
    for (const [name, state] of Object.entries(d.States)) {
      if (state.Type === 'Task' && state.Parameters?.ProjectName)
        out[name] = [state.Parameters.ProjectName, state.TimeoutSeconds];
      if (state.Type === 'Parallel') state.Branches.forEach(visit);
    }
  };
  visit(definition);
  return out;
}

describe('docker-build and docker-push', () => {
  it('run docker with the image reference, leaving github.* for the build', () => {
    const analysis = plan(`    - name: image
      steps:
        - {name: build, action: docker-build, with: {image: "r.example/api:\${{ github.sha }}", context: api}}
        - {name: push, action: docker-push, with: {image: "r.example/api:\${{ github.sha }}"}}
`);
    const definition = compilePipeline(analysis.plan as NonNullable<typeof analysis.plan>);
    const text = JSON.stringify(definition);
    expect(text).toMatch(
      /docker build -f api\/Dockerfile -t [^ ]*r\.example\/api:\$\{MC_GITHUB_SHA\}[^ ]* api/,
    );
    expect(text).toMatch(/docker push [^ ]*r\.example\/api:\$\{MC_GITHUB_SHA\}/);
    expect(text).toContain('needs Docker (the docker CLI and an engine)');
  });
});

describe('compute per node', () => {
  it('runs short builds on Lambda compute, long ones and Docker steps on EC2, and honours compute:', () => {
    // Prepare
    const analysis = plan(
      `    - name: quick
      steps: [{name: test, command: "true"}]
    - name: long
      timeout: 40m
      steps: [{name: soak, command: "true"}]
    - name: image
      steps: [{name: build, action: docker-build, with: {image: r.example/api:1}}]
    - name: pinned
      compute: fleet
      steps: [{name: bench, command: "true"}]
`,
      '  timeout: 30m\n',
    );

    // Act
    const compiled = builds(compilePipeline(analysis.plan as NonNullable<typeof analysis.plan>));

    // Assess: Lambda compute's 15 minutes bound the pipeline's 30 on both engines.
    expect(compiled['quick/test']).toEqual(['mc-stage-runner', 900]);
    expect(compiled['long/soak']).toEqual(['mc-stage-runner-ec2', 2400]);
    expect(compiled['image/build']).toEqual(['mc-stage-runner-ec2', 1800]);
    expect(compiled['pinned/bench']).toEqual(['mc-stage-runner-fleet', 1800]);
  });

  it('refuses compute: lambda for a Docker step or a stage longer than 15 minutes', () => {
    const analysis = plan(`    - name: image
      compute: lambda
      timeout: 20m
      steps: [{name: build, action: docker-build}]
`);
    const messages = analysis.diagnostics.map((d) => `${d.pointer}: ${d.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /\/spec\/stages\/0\/compute: compute: lambda has no Docker, and step .* is docker-build/,
        ),
        expect.stringMatching(/\/spec\/stages\/0\/compute: compute: lambda stops a build after 15 minutes/),
      ]),
    );
    expect(analysis.plan).toBeUndefined();
  });

  it('is a 27.1 field: a 27.0 pipeline may not use it', () => {
    const analysis = analyzePipeline(
      'build.yaml',
      pipelineYaml('    - name: a\n      compute: ec2\n      steps: [{name: b, command: "true"}]\n').replace(
        '27.1.0',
        '27.0.0',
      ),
      { env: 'dev' },
    );
    expect(analysis.diagnostics.map((d) => d.message).join('\n')).toMatch(/stages\[\]\.compute/);
  });
});
