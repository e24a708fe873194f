import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { compileVerifyImage, IMAGE_FUNCTIONS, type ImageFunction } from '../../statemachines/index.js';
import type { EnvName } from '../plan/index.js';
import { toDeployedDefinition, verifyImageMachineName } from './deployed-names.js';
import { machineLogs } from './machine-logs.js';
import { acknowledge } from './nag.js';

export interface VerifyImageMachineProps {
  readonly env: EnvName;
  readonly logKey: kms.IKey;
  /** The image functions the machine invokes. */
  readonly functions: Readonly<Record<ImageFunction, lambda.IFunction>>;
}

/**
 * The machine every watched ECR push starts: the compiler's verify-image definition
 * (statemachines/verify-image), its function names replaced by this environment's ARNs; its role
 * may invoke exactly those two functions and put events on the default bus.
 */
export class VerifyImageMachine extends Construct {
  readonly machine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: VerifyImageMachineProps) {
    super(scope, id);
    const name = verifyImageMachineName(props.env);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: `${name}: invokes the image functions and announces their decisions`,
    });
    const { region, account } = Stack.of(this);
    const functions = Object.keys(IMAGE_FUNCTIONS) as ImageFunction[];
    const policy = new iam.Policy(this, 'Calls', {
      statements: [
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: functions.map((fn) => props.functions[fn].functionArn),
        }),
        new iam.PolicyStatement({
          actions: ['events:PutEvents'],
          resources: [`arn:aws:events:${region}:${account}:event-bus/default`],
        }),
      ],
    });
    role.attachInlinePolicy(policy);
    const deployed = toDeployedDefinition(compileVerifyImage(), {
      function: (fn) => props.functions[fn as ImageFunction].functionArn,
      project: (compute) => compute,
    });
    this.machine = new sfn.StateMachine(this, 'Machine', {
      stateMachineName: name,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(Stack.of(this).toJsonString(deployed)),
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
