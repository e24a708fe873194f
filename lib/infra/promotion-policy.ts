import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { EnvName } from '../plan/index.js';
import type { Promotion } from './config.js';
import { acknowledge } from './nag.js';

/**
 * What promoting an image may do: push into the promotion targets and nowhere else. The promote
 * step of the verify-image machine (issue 6) attaches it to its role.
 */
export class PromotionPolicy extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: { readonly env: EnvName; readonly promotion: Promotion }) {
    super(scope, id);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: `mc-promote-${props.env}-to-${props.promotion.to}`,
      description: `Push verified images from ${props.env} into ${props.promotion.to}'s repositories only`,
      statements: [
        new iam.PolicyStatement({
          actions: [
            'ecr:BatchCheckLayerAvailability',
            'ecr:BatchGetImage',
            'ecr:CompleteLayerUpload',
            'ecr:InitiateLayerUpload',
            'ecr:PutImage',
            'ecr:UploadLayerPart',
          ],
          resources: [...props.promotion.repositories],
        }),
        new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
      ],
    });
    acknowledge(
      this.policy,
      'AwsSolutions-IAM5[Resource::*]',
      'ecr:GetAuthorizationToken is account-wide (it names no repository); pushes are limited to the promotion targets.',
    );
  }
}
