import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { EnvName } from '../plan/index.js';
import { verifyImageMachineName } from './deployed-names.js';
import { machineLogs } from './machine-logs.js';
import { acknowledge } from './nag.js';

export const IMAGE_EVENT_SOURCE = 'maestro-conductor';

/**
 * Until the verify-image function exists (issue 6), a pushed image cannot be verified, so it is
 * rejected: the machine announces "MC Image Rejected" with the reason and fails. Fail closed,
 * never a silent pass. Issue 6 hands its own definition in through `definition`.
 */
export function rejectingDefinition(): object {
  const reason = 'image verification is not deployed in this environment yet; the image is not promoted';
  return {
    Comment: 'Maestro Conductor verify-image: rejects every pushed image until verification is deployed',
    StartAt: 'Read push',
    States: {
      'Read push': {
        Type: 'Pass',
        Parameters: {
          'eventId.$': '$.id',
          'repository.$': '$.detail.repository-name',
          'digest.$': '$.detail.image-digest',
          'tag.$': '$.detail.image-tag',
        },
        Next: 'Announce rejection',
      },
      'Announce rejection': {
        Type: 'Task',
        Resource: 'arn:aws:states:::events:putEvents',
        Parameters: {
          Entries: [
            {
              Source: IMAGE_EVENT_SOURCE,
              DetailType: 'MC Image Rejected',
              Detail: {
                'eventId.$': '$.eventId',
                'repository.$': '$.repository',
                'digest.$': '$.digest',
                reason,
              },
            },
          ],
        },
        ResultPath: null,
        Next: 'Rejected',
      },
      Rejected: { Type: 'Fail', Error: 'MC.ImageRejected', Cause: reason },
    },
  };
}

export interface VerifyImageMachineProps {
  readonly env: EnvName;
  readonly logKey: kms.IKey;
  /** The machine's definition (issue 6's verify-image machine); defaults to rejecting every image. */
  readonly definition?: object;
}

/** The machine every watched ECR push starts. */
export class VerifyImageMachine extends Construct {
  readonly machine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: VerifyImageMachineProps) {
    super(scope, id);
    const name = verifyImageMachineName(props.env);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: `${name}: announces its image decisions`,
    });
    const { region, account } = Stack.of(this);
    const policy = new iam.Policy(this, 'Calls', {
      statements: [
        new iam.PolicyStatement({
          actions: ['events:PutEvents'],
          resources: [`arn:aws:events:${region}:${account}:event-bus/default`],
        }),
      ],
    });
    role.attachInlinePolicy(policy);
    this.machine = new sfn.StateMachine(this, 'Machine', {
      stateMachineName: name,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(
        JSON.stringify(props.definition ?? rejectingDefinition()),
      ),
      role,
      tracingEnabled: true,
      logs: machineLogs(this, name, props.env, props.logKey),
    });
    this.machine.node.addDependency(policy);
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'Step Functions log delivery (logs:*LogDelivery, DescribeResourcePolicies, DescribeLogGroups) and X-Ray tracing support no resource-level permissions.',
    );
  }
}
