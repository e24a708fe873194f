import { describe, expect, it } from 'vitest';
import { compareDefinitions } from '../../lib/remote/index.js';
import { compilePipeline } from '../../statemachines/index.js';
import { ACCOUNT, apiPlan, asDeployed, REGION } from '../support/remote.js';

describe('drift between the deployed machine and the local compile', () => {
  it('finds none when the deployed definition is the compile with deployed resource ARNs', () => {
    // Prepare
    const local = compilePipeline(apiPlan());
    // Act
    const report = compareDefinitions(local, asDeployed(local));
    // Assess
    expect(report).toMatchObject({ drifted: false, differences: [], more: 0 });
    expect(report.resources['mc-run-start']).toBe('mc-run-start-dev-cXy7Q');
    expect(report.resources['mc-stage-runner']).toMatch(/^mc-stage-runner-dev-/);
    expect(Object.keys(report.resources).sort()).toEqual([
      'mc-action',
      'mc-node-gate',
      'mc-run-finish',
      'mc-run-start',
      'mc-stage-runner',
    ]);
  });

  it('finds none in another partition or with plain names', () => {
    const local = compilePipeline(apiPlan());
    expect(compareDefinitions(local, asDeployed(local, 'aws-cn')).drifted).toBe(false);
    expect(compareDefinitions(local, JSON.stringify(local)).drifted).toBe(false);
  });

  it('names the path when a command changed', () => {
    // Prepare: the deployed machine was compiled from an older file.
    const local = compilePipeline(apiPlan());
    const deployed = asDeployed(local).replace('cd service && npm test', 'cd service && npm run test:old');
    // Act
    const report = compareDefinitions(local, deployed);
    // Assess
    expect(report.drifted).toBe(true);
    expect(report.differences).toHaveLength(1);
    expect(report.differences[0].path).toMatch(/\.Parameters\.BuildspecOverride$/);
    expect(report.differences[0].deployed).toContain('npm run test:old');
  });

  it('finds the compile of another env different (prod adds its own guarantees)', () => {
    const report = compareDefinitions(
      compilePipeline(apiPlan('prod')),
      asDeployed(compilePipeline(apiPlan())),
    );
    expect(report.drifted).toBe(true);
  });

  it('counts two platform functions deployed as one function as drift', () => {
    const local = compilePipeline(apiPlan());
    const one = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:everything`;
    const deployed = JSON.stringify(local).replace(/"FunctionName":"mc-[a-z-]+"/g, `"FunctionName":"${one}"`);
    const report = compareDefinitions(local, deployed);
    expect(report.drifted).toBe(true);
    expect(report.differences.map((d) => d.path)).toContain('resources.mc-node-gate');
  });

  it('reports a definition that is not JSON', () => {
    expect(compareDefinitions(compilePipeline(apiPlan()), '{oops')).toMatchObject({ drifted: true });
  });
});
