import type { EnvName } from '../plan/index.js';

/** What GitHub-style `github.*` expressions see during a run. */
export interface GithubContext {
  readonly sha?: string;
  readonly ref?: string;
  readonly repository?: string;
  readonly actor?: string;
  readonly event_name?: string;
}

/** Where a run's evidence lives. */
export interface EvidenceLocation {
  readonly bucket: string;
  /** `runs/<pipeline>/<runId>/` */
  readonly prefix: string;
  /** `s3://<bucket>/<prefix>`, the one value a stage build is given. */
  readonly uri: string;
}

/**
 * The execution input of a compiled pipeline machine. Small by design: only ids and references
 * travel between states, never payloads that could approach Step Functions' 256 KiB limit.
 */
export interface RunInput {
  readonly runId: string;
  readonly pipeline: string;
  readonly env: EnvName;
  readonly github: GithubContext;
  readonly evidence: EvidenceLocation;
}

export const NODE_STATUSES = [
  'PENDING',
  'WAITING',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'SKIPPED',
  'CANCELLED',
] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];
export const FINAL_NODE_STATUSES: ReadonlySet<NodeStatus> = new Set([
  'SUCCEEDED',
  'FAILED',
  'SKIPPED',
  'CANCELLED',
]);

export const RUN_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export function evidencePrefix(pipeline: string, runId: string): string {
  return `runs/${pipeline}/${runId}/`;
}

export function evidenceLocation(bucket: string, pipeline: string, runId: string): EvidenceLocation {
  const prefix = evidencePrefix(pipeline, runId);
  return { bucket, prefix, uri: `s3://${bucket}/${prefix}` };
}

/** The location and run id an `MC_EVIDENCE` URI names. */
export function parseEvidenceUri(
  uri: string,
): (EvidenceLocation & { pipeline: string; runId: string }) | undefined {
  const match = /^s3:\/\/([^/]+)\/(runs\/([^/]+)\/([^/]+)\/)$/.exec(uri);
  if (!match) return undefined;
  const [, bucket, prefix, pipeline, runId] = match;
  return { bucket, prefix, uri, pipeline, runId };
}
