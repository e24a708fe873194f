import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { analyzePipeline, type Plan } from '../../lib/plan/index.js';
import { compilePipeline, modelHistory } from '../../statemachines/index.js';
import { pipelineYaml } from '../support/pipelines.js';

const steps = (n: number) =>
  Array.from({ length: n }, (_, i) => `        - {name: s${i}, command: "echo ${i}"}\n`).join('');

function plan(stages: string, failFast = true): Plan {
  const { plan } = analyzePipeline('f', pipelineYaml(stages, `  fail_fast: ${failFast}\n`));
  if (!plan) throw new Error('must plan');
  return plan;
}

describe('fusing a chain of short steps of one stage', () => {
  it('compiles four steps into one build task that runs each as an mc-workspace step', () => {
    const definition = compilePipeline(
      plan(`    - name: checks\n      timeout: 60s\n      steps:\n${steps(4)}`),
    );
    const branch = (
      definition.States['Run nodes'] as unknown as { Branches: { StartAt: string; States: object }[] }
    ).Branches[0];
    expect(branch).toEqual({
      StartAt: 'checks/s0',
      States: {
        'checks/s0': {
          Type: 'Task',
          Comment: 'one build for 4 nodes: checks/s0, checks/s1, checks/s2, checks/s3',
          Resource: 'arn:aws:states:::codebuild:startBuild.sync',
          Parameters: {
            ProjectName: 'mc-stage-runner',
            BuildspecOverride: [
              'version: 0.2',
              'env: {shell: bash}',
              'phases:',
              ` build: {commands: [${[0, 1, 2, 3].map((i) => `"mc-workspace step 60 'checks/s${i}' 'echo ${i}'"`).join(', ')}]}`,
              ' post_build: {commands: [mc-workspace save]}',
              '',
            ].join('\n'),
            EnvironmentVariablesOverride: [
              { Name: 'MC_RUN_ID', 'Value.$': '$.runId' },
              { Name: 'MC_NODE_ID', Value: 'checks/s0' },
              { Name: 'MC_EVIDENCE', 'Value.$': '$.evidence.uri' },
              { Name: 'MC_NODES', Value: '["checks/s0","checks/s1","checks/s2","checks/s3"]' },
            ],
          },
          TimeoutSeconds: 240,
          ResultPath: null,
          End: true,
          OutputPath: '$.runId',
        },
      },
    });
    expect(aslValidator(definition, { checkArn: true, checkPaths: true }).errors).toEqual([]);
  });

  it('without fail-fast, catches into one signal that finds the failed member', () => {
    const definition = compilePipeline(
      plan(`    - name: checks\n      timeout: 60s\n      steps:\n${steps(3)}`, false),
    );
    const states = (
      definition.States['Run nodes'] as unknown as { Branches: { States: Record<string, unknown> }[] }
    ).Branches[0].States;
    expect(Object.keys(states)).toEqual(['checks/s0', 'checks/s0 | failed']);
    expect(states['checks/s0 | failed']).toMatchObject({
      Parameters: {
        Payload: {
          node: 'checks/s0',
          status: 'FAILED',
          followers: ['checks/s1', 'checks/s2'],
          fused: ['checks/s1', 'checks/s2'],
        },
      },
    });
  });

  it('keeps builds apart across stages, and for Docker steps, retries, conditions and EC2 compute', () => {
    const builds = (stages: string) =>
      (JSON.stringify(compilePipeline(plan(stages))).match(/codebuild:startBuild\.sync/g) ?? []).length;
    const short = '      timeout: 60s\n';
    expect(
      builds(
        `    - name: a\n${short}      steps:\n${steps(2)}    - name: b\n${short}      depends_on: [a]\n      steps:\n${steps(2)}`,
      ),
    ).toBe(2);
    expect(builds(`    - name: a\n${short}      retries: 1\n      steps:\n${steps(3)}`)).toBe(3);
    expect(builds(`    - name: a\n${short}      compute: ec2\n      steps:\n${steps(3)}`)).toBe(3);
    expect(
      builds(
        `    - name: a\n${short}      condition: "\${{ github.ref == 'main' }}"\n      steps:\n${steps(3)}`,
      ),
    ).toBe(3);
  });

  it('lowers the definition size and the history events', () => {
    const stages = (timeout: string) =>
      Array.from(
        { length: 50 },
        (_, i) =>
          `    - name: st${i}\n${timeout}${i ? `      depends_on: [st${i - 1}]\n` : ''}      steps:\n${steps(4)}`,
      ).join('');
    const fused = compilePipeline(plan(stages('      timeout: 60s\n')));
    // No stage timeout: each step may take the 15 minutes of Lambda compute, so none fuse.
    const separate = compilePipeline(plan(stages('')));
    expect(JSON.stringify(fused).length).toBeLessThan(JSON.stringify(separate).length);
    expect(modelHistory(fused).events).toBeLessThan(modelHistory(separate).events * 0.5);
  });
});
