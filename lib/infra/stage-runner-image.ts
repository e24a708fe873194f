import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import { DockerImageAsset, Platform } from 'aws-cdk-lib/aws-ecr-assets';
import { Construct } from 'constructs';

/** The files the image's build context leaves out (.dockerignore rules, relative to the repository root). */
export const IMAGE_CONTEXT_EXCLUDES = [
  '**/node_modules',
  '.git',
  '.mc',
  'cdk.out',
  'dist',
  'coverage',
  'test',
  'docs',
  'bench',
  '.github',
];

/**
 * The stage-runner image (infra/stage-runner/Dockerfile, linux/arm64). `cdk synth` only records
 * the asset (no Docker needed); `cdk deploy` builds and pushes it to the bootstrap repository.
 */
export class StageRunnerImage extends Construct {
  readonly asset: DockerImageAsset;

  constructor(scope: Construct, id: string, props: { readonly root: string }) {
    super(scope, id);
    this.asset = new DockerImageAsset(this, 'Image', {
      directory: props.root,
      file: 'infra/stage-runner/Dockerfile',
      platform: Platform.LINUX_ARM64,
      exclude: IMAGE_CONTEXT_EXCLUDES,
    });
  }

  /** For CodeBuild EC2 compute (ARM_CONTAINER). */
  ec2Image(): codebuild.IBuildImage {
    return codebuild.LinuxArmBuildImage.fromEcrRepository(this.asset.repository, this.asset.imageTag);
  }

  /** For CodeBuild Lambda compute: custom single-architecture images from ECR are supported. */
  lambdaImage(): codebuild.IBuildImage {
    return new ArmLambdaCustomImage(this.asset.repository, this.asset.imageUri);
  }
}

// aws-cdk-lib offers only the curated images for Lambda compute; CodeBuild also accepts a custom
// image from ECR, pulled with the project's service role.
class ArmLambdaCustomImage implements codebuild.IBuildImage {
  readonly type = 'ARM_LAMBDA_CONTAINER';
  readonly defaultComputeType = codebuild.ComputeType.LAMBDA_2GB;
  readonly imagePullPrincipalType = codebuild.ImagePullPrincipalType.SERVICE_ROLE;

  constructor(
    readonly repository: ecr.IRepository,
    readonly imageId: string,
  ) {}

  validate(environment: codebuild.BuildEnvironment): string[] {
    return environment.privileged ? ['CodeBuild Lambda compute cannot run privileged builds'] : [];
  }

  runScriptBuildspec(entrypoint: string): codebuild.BuildSpec {
    return codebuild.BuildSpec.fromObject({ version: '0.2', phases: { build: { commands: [entrypoint] } } });
  }
}
