import type { SdkCall } from './support/sdk-calls.js';

/** The AWS calls `mc-node-signal` makes: records a skip or failure, then releases the waiters (as the gate does). */
export const permissions: readonly SdkCall[] = [
  'dynamodb:UpdateItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
  'dynamodb:GetItem',
  's3:GetObject',
  'sfn:SendTaskSuccess',
];
