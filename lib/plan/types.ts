import type { Action, Scalar } from '../pipeline/index.js';
import type { EnvName, ResolvedProfile } from './profile.js';

/** One unit of work: a step, once per for_each item and matrix combination it uses. */
export interface PlanNode {
  /** `<stage>/<step>`, plus `[<item>,<matrix values>]` when expanded; stable across runs. */
  readonly id: string;
  readonly stage: string;
  readonly step: string;
  readonly action: Action;
  /** The for_each item, when the step has one. */
  readonly item?: unknown;
  /** The matrix values this node runs with (only the dimensions the step uses). */
  readonly matrix?: Readonly<Record<string, Scalar>>;
  /** The command with plan-time expressions substituted; run-time ones stay as `${{ … }}`. */
  readonly command?: string;
  readonly with: Readonly<Record<string, unknown>>;
  readonly artifacts: readonly string[];
  /** Services the node works on; empty when it works on the whole workspace. */
  readonly services: readonly string[];
  readonly dependsOn: readonly string[];
  /** A condition left for the run (it uses github.* or hashFiles). */
  readonly condition?: string;
  /** Set when a condition was false at plan time: the node stays in the plan, skipped. */
  readonly skip?: { readonly reason: string };
  readonly retries: number;
  readonly timeoutSeconds?: number;
  /** The stage's `compute:` (where its builds run on AWS), when it names one. */
  readonly compute?: 'lambda' | 'ec2' | 'fleet';
  /** JSON Pointer of the step in the pipeline file. */
  readonly source: string;
}

export interface Plan {
  readonly pipeline: string;
  readonly version: string;
  readonly env: EnvName;
  readonly profile: ResolvedProfile;
  readonly failFast: boolean;
  readonly timeoutSeconds?: number;
  /** Environment variables for every node: spec.env with the profile's env laid over it. */
  readonly variables: Readonly<Record<string, string | number | boolean>>;
  readonly nodes: readonly PlanNode[];
  /** Node ids in a topological order (dependencies first, then declaration order). */
  readonly order: readonly string[];
  readonly levels: readonly (readonly string[])[];
  /** The longest dependency chain, by number of nodes. */
  readonly criticalPath: readonly string[];
  /** The pipeline's services, where they live (for actions that work on a service). */
  readonly services?: readonly { readonly name: string; readonly path: string }[];
  /** `spec.cache`, restored before and saved after every stage build (absent when none). */
  readonly caches?: readonly PlanCache[];
}

/** A named cache: its key (`hashFiles()` left for the build) and the paths it holds. */
export interface PlanCache {
  readonly name: string;
  readonly key: string;
  /** Relative to the workspace, or `~/…` (the build's home), or absolute. */
  readonly paths: readonly string[];
}

/** A problem found while planning, located by JSON Pointer into the pipeline file. */
export interface PlanIssue {
  readonly severity: 'error' | 'warning';
  readonly pointer: string;
  readonly message: string;
}
