import { ArnFormat, Stack } from 'aws-cdk-lib';
import type * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { PlatformFunction } from '../../statemachines/index.js';
import type { EnvName } from '../plan/index.js';
import {
  pipelineMachineName,
  referencedResources,
  type StageCompute,
  toDeployedDefinition,
} from './deployed-names.js';
import { machineLogs } from './machine-logs.js';
import { acknowledge } from './nag.js';
import type { CompiledPipeline } from './pipeline-definition.js';

export interface PipelineMachineProps {
  readonly env: EnvName;
  readonly compiled: CompiledPipeline;
  readonly functions: Readonly<Record<PlatformFunction, lambda.IFunction>>;
  readonly projects: Readonly<Partial<Record<StageCompute, codebuild.IProject>>>;
  readonly logKey: kms.IKey;
}

/**
 * One pipeline's Standard state machine. Its definition is the compiler's output, unchanged but
 * for the function and project names, which become this environment's function ARNs and project
 * names; its role may invoke and start exactly those.
 */
export class PipelineMachine extends Construct {
  readonly machine: sfn.StateMachine;
  /** Known before deployment, so the functions' roles can name it without a dependency cycle. */
  static arnOf(scope: Construct, pipeline: string, env: EnvName): string {
    return Stack.of(scope).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: pipelineMachineName(pipeline, env),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  constructor(scope: Construct, id: string, props: PipelineMachineProps) {
    super(scope, id);
    const name = pipelineMachineName(props.compiled.plan.pipeline, props.env);
    const { functions, computes } = referencedResources(props.compiled.definition);
    const projects = Object.fromEntries(
      computes.map((c) => {
        const project = props.projects[c];
        if (!project)
          throw new Error(`${name} runs builds on ${c} compute, which this environment does not deploy`);
        return [c, project];
      }),
    ) as Record<StageCompute, codebuild.IProject>;
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: `${name}: invokes its platform functions and starts its stage builds`,
    });
    // Tokens inside the JSON become a Fn::Join: `${…}` in commands stays literal (no Fn::Sub).
    const deployed = toDeployedDefinition(props.compiled.definition, {
      function: (fn) => props.functions[fn].functionArn,
      project: (compute) => projects[compute].projectName,
    });
    this.machine = new sfn.StateMachine(this, 'Machine', {
      stateMachineName: name,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(Stack.of(this).toJsonString(deployed)),
      role,
      tracingEnabled: true,
      logs: machineLogs(this, name, props.env, props.logKey),
    });
    const { region, account } = Stack.of(this);
    const statements = [
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: functions.map((fn) => props.functions[fn].functionArn),
      }),
      ...(computes.length
        ? [
            new iam.PolicyStatement({
              actions: ['codebuild:StartBuild', 'codebuild:StopBuild', 'codebuild:BatchGetBuilds'],
              resources: computes.map((c) => projects[c].projectArn),
            }),
            // `startBuild.sync` learns of the build's end through this managed rule.
            new iam.PolicyStatement({
              actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
              resources: [
                `arn:aws:events:${region}:${account}:rule/StepFunctionsGetEventForCodeBuildStartBuildRule`,
              ],
            }),
          ]
        : []),
    ];
    const policy = new iam.Policy(this, 'Calls', { statements });
    role.attachInlinePolicy(policy);
    this.machine.node.addDependency(policy);
    acknowledge(
      this.machine,
      'CloudFormation-Validate::E1029',
      'A `${NAME}` in the definition is a shell variable of a stage command: the definition is a Fn::Join, never passed through Fn::Sub, so it reaches Step Functions literally.',
    );
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'Step Functions log delivery (logs:*LogDelivery, DescribeResourcePolicies, DescribeLogGroups) and X-Ray tracing support no resource-level permissions.',
    );
  }
}
