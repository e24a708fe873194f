import {
  FINAL_NODE_STATUSES,
  type RunFinishPayload,
  type RunFinishResult,
  type RunInput,
} from '../contract/index.js';
import { EVIDENCE } from '../evidence/index.js';
import type { Plan } from '../plan/index.js';
import type { NodeRecord, RunRecord } from '../state/index.js';
import type { RunDeps } from './deps.js';
import { failedNodesOf } from './failure.js';

/** The run starts: recorded once (a retried start or a resume finds it there). */
export async function startRun(deps: RunDeps, input: RunInput): Promise<void> {
  const run: RunRecord = {
    runId: input.runId,
    pipeline: input.pipeline,
    env: input.env,
    status: 'RUNNING',
    startedAt: deps.now().toISOString(),
    github: input.github,
    evidence: input.evidence,
    resumes: 0,
  };
  await deps.state.createRun(run);
}

export interface RunSummary {
  readonly runId: string;
  readonly pipeline: string;
  readonly env: string;
  readonly status: RunRecord['status'];
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly resumes: number;
  readonly failure?: RunRecord['failure'];
  readonly nodes: readonly NodeRecord[];
}

/**
 * The run ends: nodes that never reached a final status are CANCELLED (the one a fail-fast
 * failure names is FAILED), the run's status is derived from its nodes, and the summary is written
 * as evidence (`run/<n>.json`, n counting the run's ends, so a resumed run adds one).
 */
export async function finishRun(
  deps: RunDeps,
  payload: RunFinishPayload & { aborted?: boolean },
): Promise<RunFinishResult> {
  const run = await deps.state.requireRun(payload.runId);
  const plan = await deps.evidence.getJson<Plan>(`${run.evidence.prefix}${EVIDENCE.plan}`);
  const at = deps.now().toISOString();
  const recorded = new Map((await deps.state.getNodes(run.runId)).map((n) => [n.node, n]));
  // A fused build names its members: the one that failed is the first that is not final.
  const named = payload.failure ? failedNodesOf(payload.failure) : [];
  const failedNode =
    named.find((id) => !FINAL_NODE_STATUSES.has(recorded.get(id)?.status ?? 'PENDING')) ?? named[0];
  const retries = new Map((plan?.nodes ?? []).map((n) => [n.id, n.retries]));
  for (const id of plan?.nodes.map((n) => n.id) ?? [...recorded.keys()]) {
    const node = recorded.get(id);
    if (node && FINAL_NODE_STATUSES.has(node.status)) continue;
    // Named by the failure, or out of attempts with a failure of its own: failed, not cancelled.
    const exhausted =
      node?.error !== undefined &&
      node.error.Error !== 'MC.Cancelled' &&
      node.attempts > (retries.get(id) ?? 0) &&
      !payload.aborted;
    if ((id === failedNode && !payload.aborted) || exhausted) {
      await deps.state.finalizeNode(run.runId, id, 'FAILED', {
        endedAt: node?.endedAt ?? at,
        ...(node?.error ? {} : { error: payload.failure }),
      });
    } else {
      const reason = payload.aborted
        ? 'the run was aborted'
        : failedNode
          ? `stopped because ${failedNode} failed (fail-fast)`
          : 'the run ended first';
      await deps.state.finalizeNode(run.runId, id, 'CANCELLED', {
        reason,
        ...(node?.startedAt && !node.endedAt ? { endedAt: at } : {}),
      });
    }
  }
  const nodes = await deps.state.getNodes(run.runId);
  const failedNodes = nodes.filter((n) => n.status === 'FAILED').map((n) => n.node);
  const status = payload.aborted ? 'ABORTED' : payload.failure || failedNodes.length ? 'FAILED' : 'SUCCEEDED';
  await deps.state.endRun(run.runId, status, at, payload.failure);
  const ended = await deps.state.requireRun(run.runId);
  const summary: RunSummary = { ...ended, nodes: sortLike(nodes, plan) };
  await deps.evidence.putJsonOnce(`${run.evidence.prefix}${EVIDENCE.runSummary(run.resumes + 1)}`, summary);
  return {
    status: ended.status === 'RUNNING' ? status : (ended.status as RunFinishResult['status']),
    failedNodes,
  };
}

function sortLike(nodes: readonly NodeRecord[], plan: Plan | undefined): NodeRecord[] {
  const order = new Map((plan?.order ?? []).map((id, i) => [id, i]));
  return [...nodes].sort(
    (a, b) => (order.get(a.node) ?? 0) - (order.get(b.node) ?? 0) || a.node.localeCompare(b.node),
  );
}
