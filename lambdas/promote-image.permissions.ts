import type { SdkCall } from './support/sdk-calls.js';

/** The AWS calls `mc-promote-image` makes: the verification and promotion records, evidence written once, the kill switch, and the copy from a watched repository into a promotion target. */
export const permissions: readonly SdkCall[] = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  's3:HeadObject',
  's3:PutObject',
  'ssm:GetParameter',
  'ecr:GetAuthorizationToken',
  'registry:pull',
  'registry:push',
];
