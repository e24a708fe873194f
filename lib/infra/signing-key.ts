import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledge } from './nag.js';

/** The pipelines' signing key: ECC P-256, sign/verify only; its private half never leaves KMS. */
export class SigningKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: { readonly env: string }) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      alias: `alias/mc-signing-${props.env}`,
      description: `Maestro Conductor (${props.env}): signs artifacts and provenance (Sigstore bundles)`,
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.key,
      'AwsSolutions-KMS5',
      'KMS rotates symmetric keys only; a new signing key is a deliberate trust-policy change (docs/deploy.md).',
    );
  }
}
