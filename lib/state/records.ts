import type { GithubContext, NodeStatus, RunStatus } from '../contract/index.js';

export interface RunRecord {
  readonly runId: string;
  readonly pipeline: string;
  readonly env: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly github: GithubContext;
  readonly evidence: { readonly bucket: string; readonly prefix: string; readonly uri: string };
  /** How many times the run was resumed (the local counterpart of a Step Functions redrive). */
  readonly resumes: number;
  /** What stopped the run, when it failed or was aborted. */
  readonly failure?: { readonly Error?: string; readonly Cause?: string };
}

export interface NodeRecord {
  readonly runId: string;
  readonly node: string;
  readonly status: NodeStatus;
  /** Attempts started, across retries and resumes (evidence keys carry the attempt number). */
  readonly attempts: number;
  /** When the node's work first started and when its last attempt ended (ISO-8601). */
  readonly startedAt?: string;
  readonly endedAt?: string;
  readonly reason?: string;
  readonly error?: { readonly Error?: string; readonly Cause?: string };
  /** Evidence key of the workspace changes the node produced (for its dependents). */
  readonly outputs?: string;
  /** Whether the node's gate has been released (set once, by whoever wins the race). */
  readonly released?: boolean;
  /** The node's work on a resume was taken over from an earlier attempt that succeeded. */
  readonly reused?: boolean;
}

export interface WaiterRecord {
  readonly runId: string;
  readonly node: string;
  readonly dependsOn: readonly string[];
  readonly token: string;
  readonly followers: readonly string[];
  readonly condition?: string;
  readonly scope?: Record<string, unknown>;
}
