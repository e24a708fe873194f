import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { SdkCall } from '../../lambdas/support/sdk-calls.js';

/** What the platform's calls reach. */
export interface CallTargets {
  readonly table: dynamodb.ITable;
  readonly evidence: s3.IBucket;
  readonly evidenceKey: kms.IKey;
  readonly signingKey: kms.IKey;
  /** ARNs of the pipeline machines whose task tokens are answered. */
  readonly pipelineMachineArns: readonly string[];
  /** The images of this environment: ECR repositories (ARNs) whose pushes are verified. */
  readonly images?: ImageTargets;
}

/** What image verification and promotion reach. */
export interface ImageTargets {
  readonly watchedRepositoryArns: readonly string[];
  /** The next environment's repositories (ARNs), the only ones promotion may push into. */
  readonly promotionTargetArns: readonly string[];
  /** The kill switch (an SSM parameter ARN). */
  readonly killSwitchArn: string;
  /** KMS keys the trust policy lists by ARN, whose public halves verification may fetch. */
  readonly trustedKeyArns: readonly string[];
}

type Target =
  | 'table'
  | 'objects'
  | 'bucket'
  | 'evidenceKey'
  | 'signingKey'
  | 'machines'
  | 'anyRegistry'
  | 'watched'
  | 'promotionTargets'
  | 'killSwitch'
  | 'trustedKeys';

// Reading an image (manifests, blobs, the referrers API) and writing one, as ECR authorizes them.
const PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
const PUSH = [
  ...PULL,
  'ecr:CompleteLayerUpload',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
];

/**
 * The IAM actions each SDK call needs, and on what. S3 reads also need ListBucket, or a missing
 * key answers 403 instead of 404 (the evidence store treats "not there" as an answer); reading and
 * writing SSE-KMS objects needs the bucket's key.
 */
export const IAM_FOR_CALL: Record<SdkCall, readonly [action: string, on: Target][]> = {
  'dynamodb:BatchGetItem': [['dynamodb:BatchGetItem', 'table']],
  'dynamodb:DeleteItem': [['dynamodb:DeleteItem', 'table']],
  'dynamodb:GetItem': [['dynamodb:GetItem', 'table']],
  'dynamodb:PutItem': [['dynamodb:PutItem', 'table']],
  'dynamodb:Query': [['dynamodb:Query', 'table']],
  'dynamodb:UpdateItem': [['dynamodb:UpdateItem', 'table']],
  's3:GetObject': [
    ['s3:GetObject', 'objects'],
    ['s3:ListBucket', 'bucket'],
    ['kms:Decrypt', 'evidenceKey'],
  ],
  's3:HeadObject': [
    ['s3:GetObject', 'objects'],
    ['s3:ListBucket', 'bucket'],
    ['kms:Decrypt', 'evidenceKey'],
  ],
  's3:ListObjectsV2': [['s3:ListBucket', 'bucket']],
  's3:PutObject': [
    ['s3:PutObject', 'objects'],
    ['kms:GenerateDataKey', 'evidenceKey'],
  ],
  'sfn:SendTaskSuccess': [['states:SendTaskSuccess', 'machines']],
  'kms:GetPublicKey': [
    ['kms:GetPublicKey', 'signingKey'],
    ['kms:GetPublicKey', 'trustedKeys'],
  ],
  // The registry token names no repository; what it may do is limited by the actions below.
  'ecr:GetAuthorizationToken': [['ecr:GetAuthorizationToken', 'anyRegistry']],
  'registry:pull': PULL.map((action) => [action, 'watched'] as const),
  // Promotion reads what the target has (blobs, the fallback index) before it writes.
  'registry:push': PUSH.map((action) => [action, 'promotionTargets'] as const),
  'ssm:GetParameter': [['ssm:GetParameter', 'killSwitch']],
  'kms:Sign': [['kms:Sign', 'signingKey']],
};

/** One statement per target, holding exactly the actions the calls need there. */
export function statementsForCalls(calls: readonly SdkCall[], targets: CallTargets): iam.PolicyStatement[] {
  const actions = new Map<Target, Set<string>>();
  for (const call of calls)
    for (const [action, on] of IAM_FOR_CALL[call]) {
      if (!actions.has(on)) actions.set(on, new Set());
      actions.get(on)?.add(action);
    }
  const resources: Record<Target, string[]> = {
    table: [targets.table.tableArn],
    objects: [targets.evidence.arnForObjects('*')],
    bucket: [targets.evidence.bucketArn],
    evidenceKey: [targets.evidenceKey.keyArn],
    signingKey: [targets.signingKey.keyArn],
    machines: [...targets.pipelineMachineArns],
    anyRegistry: ['*'],
    watched: [...(targets.images?.watchedRepositoryArns ?? [])],
    promotionTargets: [...(targets.images?.promotionTargetArns ?? [])],
    killSwitch: targets.images ? [targets.images.killSwitchArn] : [],
    trustedKeys: [...(targets.images?.trustedKeyArns ?? [])],
  };
  return [...actions]
    .filter(([on]) => resources[on].length > 0)
    .map(([on, set]) => new iam.PolicyStatement({ actions: [...set].sort(), resources: resources[on] }));
}
