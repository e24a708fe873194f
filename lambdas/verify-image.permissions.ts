import type { SdkCall } from './support/sdk-calls.js';

/** The AWS calls `mc-verify-image` makes: the claim and decision records, waivers, evidence written once, the watched repositories read with an ECR token, and trust-policy KMS keys' public halves. */
export const permissions: readonly SdkCall[] = [
  'dynamodb:PutItem',
  'dynamodb:GetItem',
  'dynamodb:UpdateItem',
  'dynamodb:Query',
  's3:HeadObject',
  's3:PutObject',
  'ecr:GetAuthorizationToken',
  'registry:pull',
  'kms:GetPublicKey',
];
