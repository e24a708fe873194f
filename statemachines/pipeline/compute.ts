import type { PlanNode } from '../../lib/plan/index.js';
import { LAMBDA_COMPUTE_LIMIT_SECONDS, type StageCompute } from './resources.js';

/** Steps that need Docker, so privileged EC2 compute. */
export const DOCKER_ACTIONS: ReadonlySet<string> = new Set(['docker-build', 'docker-push']);

/**
 * Where a build node runs on AWS: the stage's `compute:`, else EC2 for Docker steps and for
 * stages whose own timeout is over 15 minutes (what CodeBuild Lambda compute allows), else Lambda
 * compute, which starts without provisioning and bills per second. Locally it runs as a process.
 */
export function nodeCompute(node: PlanNode): StageCompute {
  if (node.compute) return node.compute;
  if (DOCKER_ACTIONS.has(node.action)) return 'ec2';
  if ((node.timeoutSeconds ?? 0) > LAMBDA_COMPUTE_LIMIT_SECONDS) return 'ec2';
  return 'lambda';
}
