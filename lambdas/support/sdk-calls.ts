/**
 * An AWS API call a platform function makes, written `<service>:<Operation>` with the SDK's
 * operation name (the command class without `Command`). The CDK stack turns each into the IAM
 * actions it needs (lib/infra/iam-for-calls.ts) and grants nothing else. `registry:pull` and
 * `registry:push` are not SDK calls but OCI distribution API requests to ECR, which ECR
 * authorizes with IAM actions too (pull from the watched repositories, push into the promotion
 * targets).
 */
export type SdkCall =
  | 'ecr:GetAuthorizationToken'
  | 'registry:pull'
  | 'registry:push'
  | 'ssm:GetParameter'
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
