/**
 * An AWS API call a platform function makes, written `<service>:<Operation>` with the SDK's
 * operation name (the command class without `Command`). The CDK stack turns each into the IAM
 * actions it needs (lib/infra/iam-for-calls.ts) and grants nothing else.
 */
export type SdkCall =
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:GetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:Query'
  | 'dynamodb:UpdateItem'
  | 's3:GetObject'
  | 's3:HeadObject'
  | 's3:ListObjectsV2'
  | 's3:PutObject'
  | 'sfn:SendTaskSuccess'
  | 'kms:GetPublicKey'
  | 'kms:Sign';
