import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** Successful pushes to the watched repositories start the verify-image machine. */
export class EcrPushRule extends Construct {
  readonly rule: events.Rule;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly repositories: readonly string[]; readonly target: sfn.IStateMachine },
  ) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description: 'ECR pushes to watched repositories start image verification',
      eventPattern: {
        source: ['aws.ecr'],
        detailType: ['ECR Image Action'],
        detail: {
          'action-type': ['PUSH'],
          result: ['SUCCESS'],
          'repository-name': [...props.repositories],
        },
      },
      targets: [new targets.SfnStateMachine(props.target)],
    });
  }
}
