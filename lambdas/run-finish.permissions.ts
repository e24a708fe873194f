import type { SdkCall } from './support/sdk-calls.js';

/** The AWS calls `mc-run-finish` makes: reads the run, its plan and nodes, settles them, ends the run and writes the summary once. */
export const permissions: readonly SdkCall[] = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
  's3:GetObject',
  's3:HeadObject',
  's3:PutObject',
];
