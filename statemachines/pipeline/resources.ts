// What the compiled machine calls: Step Functions service integrations, the platform's Lambda
// functions (by name) and the stage-runner CodeBuild project.

import { IMAGE_FUNCTIONS } from '../verify-image/resources.js';

/** The functions the pipeline machines call, by role. */
export const PIPELINE_FUNCTIONS = {
  runStart: 'mc-run-start',
  nodeGate: 'mc-node-gate',
  nodeSignal: 'mc-node-signal',
  runFinish: 'mc-run-finish',
  action: 'mc-action',
} as const;

export type PipelineFunction = keyof typeof PIPELINE_FUNCTIONS;

/** Every platform Lambda function, by role: the pipeline machines' and the verify-image machine's. */
export const FUNCTIONS = { ...PIPELINE_FUNCTIONS, ...IMAGE_FUNCTIONS } as const;

export type PlatformFunction = keyof typeof FUNCTIONS;

/** The CodeBuild project that runs stage commands. */
export const STAGE_RUNNER_PROJECT = 'mc-stage-runner';

/** Stage-runner projects by compute, under the names the compiled ASL uses. */
export const STAGE_RUNNER_PROJECTS = {
  /** CodeBuild Lambda compute (arm64): the default, for builds without Docker that fit in 15 minutes. */
  lambda: STAGE_RUNNER_PROJECT,
  /** CodeBuild EC2 compute (arm64, privileged): Docker builds and long builds. */
  ec2: `${STAGE_RUNNER_PROJECT}-ec2`,
  /** EC2 compute on the environment's reserved fleet, when one is configured. */
  fleet: `${STAGE_RUNNER_PROJECT}-fleet`,
} as const;

export type StageCompute = keyof typeof STAGE_RUNNER_PROJECTS;

/** CodeBuild Lambda compute stops a build after 15 minutes. */
export const LAMBDA_COMPUTE_LIMIT_SECONDS = 900;

export const RESOURCES = {
  lambdaInvoke: 'arn:aws:states:::lambda:invoke',
  lambdaInvokeWaitForToken: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  codeBuildSync: 'arn:aws:states:::codebuild:startBuild.sync',
} as const;

/**
 * Functions are named, not ARNed, inside task Parameters (Lambda accepts both): the name is
 * shorter, and the definition repeats it for every node. The CDK stack maps each name to the
 * deployed function; the local engine maps states to in-process handlers.
 */
export function functionName(fn: PlatformFunction): string {
  return FUNCTIONS[fn];
}

/** Errors a stage attempt must not retry: the input or the action itself is the problem. */
export const NEVER_RETRIED_ERRORS = [
  'MC.ActionUnavailable',
  'MC.GateBlocked',
  'MC.InvalidInput',
  'MC.Cancelled',
] as const;
