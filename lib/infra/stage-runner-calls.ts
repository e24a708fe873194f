import type { SdkCall } from '../../lambdas/support/sdk-calls.js';

/**
 * The AWS calls a stage build makes through `mc-workspace` (bin/mc-workspace.ts): restore reads the
 * plan, the dependencies' outputs and caches and counts the attempt; save writes outputs, caches and
 * evidence once, records the node and releases the nodes waiting for it.
 */
export const STAGE_RUNNER_CALLS: readonly SdkCall[] = [
  'dynamodb:UpdateItem',
  'dynamodb:BatchGetItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
  's3:GetObject',
  's3:HeadObject',
  's3:ListObjectsV2',
  's3:PutObject',
  'sfn:SendTaskSuccess',
];
