import { analyzePipeline, type EnvName, type Plan } from '../../lib/plan/index.js';
import type { Json, StateMachineDefinition } from '../../statemachines/index.js';
import { readRepoFile } from './pipelines.js';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const SHA = '3f2a9c1b7d4e5f60718293a4b5c6d7e8f9012345';

/** The api example planned for an env. */
export function apiPlan(env: EnvName = 'dev'): Plan {
  const plan = analyzePipeline('examples/api/build.yaml', readRepoFile('examples/api/build.yaml'), {
    env,
  }).plan;
  if (!plan) throw new Error('the api example does not plan');
  return plan;
}

/**
 * What the CDK stack deploys for a compile: each platform function and the stage-runner project
 * replaced by a deployed ARN (CDK's generated names), service integrations in `partition`.
 */
export function asDeployed(definition: StateMachineDefinition, partition = 'aws'): string {
  const deployedName = (name: string) => `${name}-dev-${name.length.toString(36)}Xy7Q`;
  const walk = (value: Json, key?: string): Json => {
    if (typeof value === 'string') {
      if (key === 'FunctionName')
        return `arn:${partition}:lambda:${REGION}:${ACCOUNT}:function:${deployedName(value)}`;
      if (key === 'ProjectName')
        return `arn:${partition}:codebuild:${REGION}:${ACCOUNT}:project/${deployedName(value)}`;
      if (key === 'Resource') return value.replace('arn:aws:', `arn:${partition}:`);
      return value;
    }
    if (Array.isArray(value)) return value.map((v) => walk(v));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v as Json, k)]));
    return value;
  };
  // CDK writes the definition compactly, keys in its own order: order must not matter.
  const deployed = walk(definition as unknown as Json) as Record<string, Json>;
  return JSON.stringify(Object.fromEntries(Object.entries(deployed).reverse()));
}
