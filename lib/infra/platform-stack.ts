import { join, resolve } from 'node:path';
import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { permissions as action } from '../../lambdas/action.permissions.js';
import { permissions as nodeGate } from '../../lambdas/node-gate.permissions.js';
import { permissions as nodeSignal } from '../../lambdas/node-signal.permissions.js';
import { permissions as promoteImageCalls } from '../../lambdas/promote-image.permissions.js';
import { permissions as runFinish } from '../../lambdas/run-finish.permissions.js';
import { permissions as runStart } from '../../lambdas/run-start.permissions.js';
import type { SdkCall } from '../../lambdas/support/sdk-calls.js';
import { permissions as verifyImageCalls } from '../../lambdas/verify-image.permissions.js';
import type { PlatformFunction } from '../../statemachines/index.js';
import { loadPromotionMap, SHIPPED_PROMOTION_MAP } from '../images/index.js';
import { evidenceBucketName } from '../remote/names.js';
import { loadTrustPolicy, SHIPPED_TRUST_POLICY } from '../trust/index.js';
import { AccessLogBucket } from './access-log-bucket.js';
import { PlatformAlarms } from './alarms.js';
import type { EnvironmentConfig } from './config.js';
import { PlatformDashboard } from './dashboard.js';
import { EcrPushRule } from './ecr-push-rule.js';
import { EvidenceBucket } from './evidence-bucket.js';
import { GitHubCiRole } from './github-ci-role.js';
import { imageScope } from './image-scope.js';
import { KillSwitch, killSwitchName } from './kill-switch.js';
import { compileForEnvironment } from './pipeline-definition.js';
import { PipelineMachine } from './pipeline-machine.js';
import { PlatformFunctions } from './platform-functions.js';
import { PlatformKey } from './platform-key.js';
import { SigningKey } from './signing-key.js';
import { StageRunner } from './stage-runner.js';
import { StateTable } from './state-table.js';
import { VerifyImageMachine } from './verify-image-machine.js';

/** Each platform function's AWS calls, as listed beside its handler. */
export const FUNCTION_PERMISSIONS: Readonly<Record<PlatformFunction, readonly SdkCall[]>> = {
  runStart,
  nodeGate,
  nodeSignal,
  runFinish,
  action,
  verifyImage: verifyImageCalls,
  promoteImage: promoteImageCalls,
};

export interface PlatformStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  /** The repository root: pipeline files, lambdas/, policy/ and the image's Dockerfile are found from it. */
  readonly root: string;
}

/** Everything one environment runs: storage, keys, functions, builds, machines, CI access, monitoring. */
export class PlatformStack extends Stack {
  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    const { config, root } = props;
    super(scope, id, {
      ...props,
      env: { account: config.account, region: config.region },
      description: `Maestro Conductor platform (${config.name})`,
    });
    const env = config.name;
    const prod = env === 'prod';
    Tags.of(this).add('maestro-conductor:environment', env);

    const compiled = config.pipelines.map((file) => compileForEnvironment(resolve(root, file), env, root));
    const names = compiled.map((c) => c.plan.pipeline);
    const pipelineMachineArns = names.map((name) => PipelineMachine.arnOf(this, name, env));

    const dataKey = new PlatformKey(this, 'DataKey', { env }).key;
    const accessLogs = new AccessLogBucket(this, 'AccessLogs', { retentionDays: prod ? 400 : 90 }).bucket;
    const evidence = new EvidenceBucket(this, 'Evidence', {
      bucketName: evidenceBucketName(config.account, config.region, env),
      key: dataKey,
      accessLogs,
      retentionDays: config.evidenceRetentionDays,
      compliance: prod,
      cacheExpirationDays: config.cacheExpirationDays,
    }).bucket;
    const table = new StateTable(this, 'State', { deletionProtection: prod }).table;
    const signingKey = new SigningKey(this, 'Signing', { env }).key;
    // What this environment verifies and promotes into: the shipped promotion map and trust
    // policy, the very files the image functions carry in their bundles.
    const images = imageScope(
      loadPromotionMap(join(root, SHIPPED_PROMOTION_MAP)),
      loadTrustPolicy(join(root, SHIPPED_TRUST_POLICY)),
      env,
      config.account,
      config.region,
    );
    const killSwitch = new KillSwitch(this, 'KillSwitch', { env }).parameter;
    const targets = {
      table,
      evidence,
      evidenceKey: dataKey,
      signingKey,
      pipelineMachineArns,
      images: {
        watchedRepositoryArns: images.watchedArns,
        promotionTargetArns: images.promotionTargetArns,
        killSwitchArn: killSwitch.parameterArn,
        trustedKeyArns: images.trustedKeyArns,
      },
    };

    const { functions } = new PlatformFunctions(this, 'Functions', {
      ...targets,
      env,
      root,
      logKey: dataKey,
      permissions: FUNCTION_PERMISSIONS,
      environment: { promoteImage: { MC_PROMOTE_PARAMETER: killSwitchName(env) } },
    });
    const { projects } = new StageRunner(this, 'StageRunner', {
      ...targets,
      env,
      root,
      key: dataKey,
      ...(config.reservedFleetArn ? { reservedFleetArn: config.reservedFleetArn } : {}),
    });
    const machines = compiled.map(
      (pipeline) =>
        new PipelineMachine(this, `Pipeline-${pipeline.plan.pipeline}`, {
          env,
          compiled: pipeline,
          functions,
          projects,
          logKey: dataKey,
        }).machine,
    );

    const verifyImage = new VerifyImageMachine(this, 'VerifyImage', {
      env,
      logKey: dataKey,
      functions: { verifyImage: functions.verifyImage, promoteImage: functions.promoteImage },
    }).machine;
    if (images.watched.length)
      new EcrPushRule(this, 'EcrPush', { repositories: images.watched, target: verifyImage });

    const ci = new GitHubCiRole(this, 'GitHubCi', {
      env,
      github: config.github,
      oidcProvider: config.oidcProvider,
      pipelines: names,
      evidence,
      evidenceKey: dataKey,
    });
    // What a caller of the GitHub workflow passes (docs/github-actions.md).
    new CfnOutput(this, 'EvidenceBucketName', {
      description: 'The evidence bucket (mc run --remote --evidence-bucket; its default)',
      value: evidence.bucketName,
    });
    new CfnOutput(this, 'GitHubCiRoleArn', {
      description: 'The role GitHub Actions assume (the mc workflow input role-to-assume)',
      value: ci.role.roleArn,
    });
    new PlatformDashboard(this, 'Dashboard', { env, pipelines: machines, verifyImage });
    new PlatformAlarms(this, 'Alarms', {
      env,
      key: dataKey,
      verifyImage,
      gateBlocksThreshold: config.gateBlocksAlarmThreshold,
    });
  }
}
