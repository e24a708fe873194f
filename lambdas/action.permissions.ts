import type { SdkCall } from './support/sdk-calls.js';

/** The AWS calls `mc-action` makes: the attempt's bookkeeping and release (as a build's save does), the dependencies' outputs and evidence, waivers, bundles and reports written once, and the KMS signing key. */
export const permissions: readonly SdkCall[] = [
  'dynamodb:UpdateItem',
  'dynamodb:BatchGetItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
  's3:GetObject',
  's3:HeadObject',
  's3:ListObjectsV2',
  's3:PutObject',
  'sfn:SendTaskSuccess',
  'kms:GetPublicKey',
  'kms:Sign',
];
