import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { EnvName } from '../plan/index.js';
import { deployedProjectName, type StageCompute } from './deployed-names.js';
import { type CallTargets, statementsForCalls } from './iam-for-calls.js';
import { acknowledge, arnToken, refToken } from './nag.js';
import { STAGE_RUNNER_CALLS } from './stage-runner-calls.js';
import { StageRunnerImage } from './stage-runner-image.js';

export interface StageRunnerProps extends CallTargets {
  readonly env: EnvName;
  readonly root: string;
  readonly key: kms.IKey;
  readonly reservedFleetArn?: string;
}

// Every build's buildspec comes from its state machine task (BuildspecOverride); a build started
// any other way has nothing to run.
const NO_DIRECT_BUILDS = codebuild.BuildSpec.fromObject({
  version: '0.2',
  phases: {
    build: { commands: ['echo "stage builds are started by their pipeline state machine" >&2', 'exit 1'] },
  },
});

/**
 * The stage-runner projects: CodeBuild Lambda compute (arm64, the default: starts at once, billed
 * per second) and EC2 compute (arm64, privileged for Docker builds, long timeouts), plus one on a
 * reserved fleet when configured. Each has its own role, allowed mc-workspace's AWS calls.
 */
export class StageRunner extends Construct {
  readonly projects: Partial<Record<StageCompute, codebuild.Project>> = {};

  constructor(scope: Construct, id: string, props: StageRunnerProps) {
    super(scope, id);
    const image = new StageRunnerImage(this, 'Image', { root: props.root });
    this.projects.lambda = this.project('lambda', props, {
      buildImage: image.lambdaImage(),
      computeType: codebuild.ComputeType.LAMBDA_2GB,
    });
    this.projects.ec2 = this.project('ec2', props, {
      buildImage: image.ec2Image(),
      computeType: codebuild.ComputeType.LARGE,
      privileged: true,
    });
    if (props.reservedFleetArn) {
      this.projects.fleet = this.project('fleet', props, {
        buildImage: image.ec2Image(),
        fleet: codebuild.Fleet.fromFleetArn(this, 'Fleet', props.reservedFleetArn),
        privileged: true,
      });
    }
  }

  private project(
    compute: StageCompute,
    props: StageRunnerProps,
    environment: codebuild.BuildEnvironment,
  ): codebuild.Project {
    const scope = new Construct(this, compute);
    const name = deployedProjectName(compute, props.env);
    const logGroup = new logs.LogGroup(scope, 'Logs', {
      logGroupName: `/aws/codebuild/${name}`,
      encryptionKey: props.key,
      retention: props.env === 'prod' ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(scope, 'Role', {
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
      description: `${name}: mc-workspace's AWS calls, its logs and its image`,
    });
    const calls = new iam.Policy(scope, 'Calls', {
      statements: statementsForCalls(STAGE_RUNNER_CALLS, props),
    });
    role.attachInlinePolicy(calls);
    const project = new codebuild.Project(scope, 'Project', {
      projectName: name,
      description: `Maestro Conductor stage builds (${compute} compute, ${props.env})`,
      buildSpec: NO_DIRECT_BUILDS,
      environment: {
        ...environment,
        environmentVariables: {
          MC_ENV: { value: props.env },
          MC_STATE_TABLE: { value: props.table.tableName },
          MC_EVIDENCE_BUCKET: { value: props.evidence.bucketName },
        },
      },
      encryptionKey: props.key,
      role,
      logging: { cloudWatch: { logGroup } },
      ...(compute === 'lambda' ? {} : { timeout: Duration.hours(8) }),
    });
    acknowledgeProjectFindings(project, role, calls, props, compute);
    return project;
  }
}

function acknowledgeProjectFindings(
  project: codebuild.Project,
  role: iam.Role,
  calls: iam.Policy,
  props: StageRunnerProps,
  compute: StageCompute,
): void {
  const { region, account } = Stack.of(project);
  if (compute !== 'lambda')
    acknowledge(
      project,
      'AwsSolutions-CB3',
      'Privileged mode runs the docker-build steps of pipelines (the reason EC2 compute exists); builds run only buildspecs from the deployed state machines.',
    );
  acknowledge(
    project,
    'AwsSolutions-CB5',
    "The image is this repository's infra/stage-runner/Dockerfile, built by cdk deploy into the bootstrap ECR repository (its URI is known only then).",
  );
  const wildcards: [string, string][] = [
    ['Resource::*', 'ecr:GetAuthorizationToken (pulling the stage-runner image) names no repository.'],
    [
      `Resource::arn:<AWS::Partition>:logs:${region}:${account}:log-group:/aws/codebuild/${refToken(project)}:*`,
      "CodeBuild's default grant: the streams of the project's own log group.",
    ],
    [
      `Resource::arn:<AWS::Partition>:codebuild:${region}:${account}:report-group/${refToken(project)}-*`,
      "CodeBuild's default grant: test report groups named after the project.",
    ],
    [
      'Action::kms:GenerateDataKey*',
      "Build artifacts and logs are encrypted with the platform key (CodeBuild's grant on that one key).",
    ],
    [
      'Action::kms:ReEncrypt*',
      "Build artifacts and logs are encrypted with the platform key (CodeBuild's grant on that one key).",
    ],
  ];
  for (const [finding, reason] of wildcards) acknowledge(role, `AwsSolutions-IAM5[${finding}]`, reason);
  acknowledge(
    calls,
    `AwsSolutions-IAM5[Resource::${arnToken(props.evidence)}/*]`,
    'Builds restore and save outputs, caches and evidence under keys made per run and node: objects of the evidence bucket only.',
  );
}
