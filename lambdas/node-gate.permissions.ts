import type { SdkCall } from './support/sdk-calls.js';

/** The AWS calls `mc-node-gate` makes: registers the waiter, reads its dependencies, claims and delivers the release (skips record the chain and release theirs), reads the run and its plan for run-time conditions. */
export const permissions: readonly SdkCall[] = [
  'dynamodb:PutItem',
  'dynamodb:BatchGetItem',
  'dynamodb:UpdateItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
  's3:GetObject',
  'sfn:SendTaskSuccess',
];
