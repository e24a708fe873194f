import type { Json } from './json.js';
import type { NodeStatus, RunInput } from './run.js';

/** Payload of the gate task (`lambda:invoke.waitForTaskToken`): wait for dependencies, decide. */
export interface GatePayload {
  readonly taskToken: string;
  readonly runId: string;
  readonly node: string;
  readonly dependsOn: readonly string[];
  /** A CEL condition left for the run. */
  readonly condition?: string;
  /** Plan-time values the condition may read (item, matrix). */
  readonly scope?: { readonly [key: string]: Json };
  /** Chain members after the node: skipped with it when it is skipped. */
  readonly followers?: readonly string[];
}

/** What the gate answers: run the node, or skip it and why. */
export interface GateDecision {
  readonly run: boolean;
  readonly reason?: string;
  /** Set when the node cannot run because its condition cannot be decided: it is FAILED. */
  readonly failed?: { readonly Error: string; readonly Cause: string };
}

/** Payload of the signal task: a status the state machine decided (skipped when planning, or failed). */
export interface SignalPayload {
  readonly runId: string;
  readonly node: string;
  readonly status: Extract<NodeStatus, 'FAILED' | 'SKIPPED'>;
  /** Why it was skipped (plan-time conditions, skipped dependencies). */
  readonly reason?: string;
  /** The error the run state's Catch caught. */
  readonly error?: { readonly Error?: string; readonly Cause?: string };
  /** Chain members after the node: they cannot run either. */
  readonly followers?: readonly string[];
  /**
   * A failed fused build: the members after `node` that shared its build. The member that failed
   * is the first of `node` and these that did not succeed; the ones after it are skipped.
   */
  readonly fused?: readonly string[];
}

export interface RunStartPayload {
  readonly run: RunInput;
}

export interface RunFinishPayload {
  readonly runId: string;
  /** Present when the node graph failed (fail-fast): the error the Parallel state caught. */
  readonly failure?: { readonly Error?: string; readonly Cause?: string };
}

export interface RunFinishResult {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  readonly failedNodes: readonly string[];
}

/** Payload of a built-in action run as a Lambda task. */
export interface ActionPayload {
  readonly runId: string;
  readonly node: string;
  readonly action: string;
  readonly with?: { readonly [key: string]: Json };
  readonly artifacts?: readonly string[];
  readonly services?: readonly string[];
}

export interface ActionResult {
  /** Evidence keys the action wrote (references, never contents). */
  readonly evidence: readonly string[];
  readonly summary: string;
}
