import {
  FUNCTIONS,
  type PlatformFunction,
  STAGE_RUNNER_PROJECTS,
  type StageCompute,
} from '../../statemachines/index.js';
import type { EnvName } from '../plan/index.js';
import { stateMachineName } from '../remote/names.js';

// Pure naming rules shared by the stack, its tests and whoever compares a deployed definition with
// a local compile (drift): no aws-cdk-lib here.

export { STAGE_RUNNER_PROJECTS, type StageCompute };

/** Deployed names carry the environment, so two environments can share an account. */
export const deployedFunctionName = (fn: PlatformFunction, env: EnvName): string => `${FUNCTIONS[fn]}-${env}`;
export const deployedProjectName = (compute: StageCompute, env: EnvName): string =>
  `${STAGE_RUNNER_PROJECTS[compute]}-${env}`;
/** The name `mc run --remote` looks for (one rule, lib/remote/names.ts). */
export const pipelineMachineName = stateMachineName;
export const verifyImageMachineName = (env: EnvName): string => `mc-verify-image-${env}`;

const FUNCTION_BY_NAME = new Map<string, PlatformFunction>(
  Object.entries(FUNCTIONS).map(([fn, name]) => [name, fn as PlatformFunction]),
);
const COMPUTE_BY_PROJECT = new Map<string, StageCompute>(
  Object.entries(STAGE_RUNNER_PROJECTS).map(([compute, name]) => [name, compute as StageCompute]),
);

/** What a deployed definition names instead of the compiler's function and project names. */
export interface DeployedReferences {
  readonly function: (fn: PlatformFunction) => string;
  readonly project: (compute: StageCompute) => string;
}

/**
 * The compiled definition as a stack deploys it: every platform function and stage-runner project
 * the compiler names is replaced by the deployed one (an ARN or name; in the CDK stack, tokens).
 * Nothing else changes.
 */
export function toDeployedDefinition(definition: unknown, references: DeployedReferences): unknown {
  return mapReferences(definition, {
    function: (name) => {
      const fn = FUNCTION_BY_NAME.get(name);
      return fn ? references.function(fn) : undefined;
    },
    project: (name) => {
      const compute = COMPUTE_BY_PROJECT.get(name);
      return compute ? references.project(compute) : undefined;
    },
  });
}

/** The platform functions and stage-runner computes a compiled definition refers to. */
export function referencedResources(definition: unknown): {
  functions: PlatformFunction[];
  computes: StageCompute[];
} {
  const functions = new Set<PlatformFunction>();
  const computes = new Set<StageCompute>();
  toDeployedDefinition(definition, {
    function: (fn) => {
      functions.add(fn);
      return fn;
    },
    project: (compute) => {
      computes.add(compute);
      return compute;
    },
  });
  return { functions: [...functions].sort(), computes: [...computes].sort() };
}

/**
 * A deployed definition (as Step Functions returns it: ARNs of this environment's functions and
 * projects) mapped back to the names the compiler writes, so it can be compared with `mc render`
 * or run by the local engine.
 */
export function toCompiledDefinition(deployed: unknown, env: EnvName): unknown {
  const functions = new Map(
    Object.keys(FUNCTIONS).map((fn) => [
      deployedFunctionName(fn as PlatformFunction, env),
      FUNCTIONS[fn as PlatformFunction],
    ]),
  );
  const projects = new Map(
    Object.keys(STAGE_RUNNER_PROJECTS).map((c) => [
      deployedProjectName(c as StageCompute, env),
      STAGE_RUNNER_PROJECTS[c as StageCompute],
    ]),
  );
  const lastSegment = (ref: string) => ref.split(/[:/]/).pop() ?? ref;
  return mapReferences(deployed, {
    function: (ref) => functions.get(lastSegment(ref)),
    project: (ref) => projects.get(lastSegment(ref)),
  });
}

interface ReferenceMap {
  readonly function: (value: string) => string | undefined;
  readonly project: (value: string) => string | undefined;
}

// Task Parameters name functions (`FunctionName`) and projects (`ProjectName`); only those change.
function mapReferences(value: unknown, map: ReferenceMap): unknown {
  if (Array.isArray(value)) return value.map((v) => mapReferences(v, map));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      if (key === 'FunctionName' && typeof v === 'string') return [key, map.function(v) ?? v];
      if (key === 'ProjectName' && typeof v === 'string') return [key, map.project(v) ?? v];
      return [key, mapReferences(v, map)];
    }),
  );
}
