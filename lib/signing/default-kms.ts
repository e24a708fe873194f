import { KMSClient } from '@aws-sdk/client-kms';
import { KmsSigner } from './kms-signer.js';

/**
 * A KMS signer for a key ARN with the default AWS credentials of the process, in the key's own
 * region (else `region`, else the SDK's default): the CLI, the Lambda functions, local runs.
 */
export function defaultKmsSigner(arn: string, region?: string): KmsSigner {
  const own = /^arn:aws[\w-]*:kms:([\w-]+):/.exec(arn)?.[1] ?? region;
  return new KmsSigner(new KMSClient(own ? { region: own } : {}), arn);
}
