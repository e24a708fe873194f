import { createHash } from 'node:crypto';
import { MAX_STATE_NAME } from '../asl/graph.js';

/** The states one node compiles to; the run state is named after the node id itself. */
export type NodeStateRole = 'run' | 'wait' | 'decide' | 'done' | 'skipped' | 'failed' | 'stop';

const SUFFIX: Record<NodeStateRole, string> = {
  run: '',
  wait: ' | wait',
  decide: ' | run?',
  done: ' | done',
  skipped: ' | skipped',
  failed: ' | failed',
  stop: ' | stop',
};

/**
 * Console-friendly state names: the node id as ops know it, a short role suffix, and for ids too
 * long for Step Functions' 80 characters a shortened id with a stable hash.
 */
export function stateName(nodeId: string, role: NodeStateRole): string {
  const suffix = SUFFIX[role];
  const room = MAX_STATE_NAME - [...suffix].length;
  if ([...nodeId].length <= room) return nodeId + suffix;
  const hash = createHash('sha256').update(nodeId).digest('hex').slice(0, 8);
  return `${[...nodeId].slice(0, room - 10).join('')}~${hash}${suffix}`;
}
