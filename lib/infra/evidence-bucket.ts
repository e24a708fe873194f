import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface EvidenceBucketProps {
  /** The bucket's name: `evidenceBucketName` (lib/remote/names.ts), where `mc run --remote` looks. */
  readonly bucketName: string;
  readonly key: kms.IKey;
  readonly accessLogs: s3.IBucket;
  /** Object Lock default retention, in days. */
  readonly retentionDays: number;
  /** Compliance mode (nobody can shorten it, root included) instead of governance. */
  readonly compliance: boolean;
  /** Days a `caches/` entry is kept (it is re-created by the next miss). */
  readonly cacheExpirationDays: number;
}

/**
 * Evidence of every run (§5 of the architecture): written once per key, versioned, under Object
 * Lock, KMS-encrypted, TLS only, never public, with access logs.
 */
export class EvidenceBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: EvidenceBucketProps) {
    super(scope, id);
    const retention = Duration.days(props.retentionDays);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      objectLockEnabled: true,
      objectLockDefaultRetention: props.compliance
        ? s3.ObjectLockRetention.compliance(retention)
        : s3.ObjectLockRetention.governance(retention),
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'evidence/',
      lifecycleRules: [
        {
          // Caches are a speed-up, not evidence: expired after a while (their locked versions go
          // once the retention has passed).
          id: 'expire-caches',
          prefix: 'caches/',
          expiration: Duration.days(props.cacheExpirationDays),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'runs-to-infrequent-access',
          prefix: 'runs/',
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
          ],
        },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
