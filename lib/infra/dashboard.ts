import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { EnvName } from '../plan/index.js';
import { platformCount, platformSearch } from './platform-metrics.js';

export interface PlatformDashboardProps {
  readonly env: EnvName;
  readonly pipelines: readonly sfn.StateMachine[];
  readonly verifyImage: sfn.StateMachine;
}

/**
 * One dashboard per environment: runs, failures by stage, gate decisions, image verifications and
 * promotion latency (mc-promote-image publishes PromotionLatency: push to promoted, ms).
 */
export class PlatformDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: PlatformDashboardProps) {
    super(scope, id);
    const { env } = props;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `mc-${env}`,
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Runs',
            left: [
              platformCount(env, 'mc-run-start', 'RunsStarted').with({ label: 'started' }),
              platformCount(env, 'mc-run-finish', 'RunsSucceeded').with({ label: 'succeeded' }),
              platformCount(env, 'mc-run-finish', 'RunsFailed').with({ label: 'failed' }),
            ],
          }),
          new cloudwatch.GraphWidget({
            title: 'Node failures by stage',
            left: [platformSearch(env, 'NodeFailures', 'Sum', 'failures')],
          }),
          new cloudwatch.GraphWidget({
            title: 'Supply-chain gate',
            left: [
              platformCount(env, 'mc-action', 'GatePassed').with({ label: 'passed' }),
              platformCount(env, 'mc-action', 'GateBlocked').with({ label: 'blocked' }),
            ],
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Image verifications',
            left: [
              props.verifyImage.metricSucceeded({ label: 'verified' }),
              props.verifyImage.metricFailed({ label: 'rejected or failed' }),
            ],
          }),
          new cloudwatch.GraphWidget({
            title: 'Promotion latency (push to promoted)',
            left: [platformSearch(env, 'PromotionLatency', 'p90', 'p90')],
          }),
          new cloudwatch.GraphWidget({
            title: 'Pipeline executions failed',
            left: props.pipelines.map((m) => m.metricFailed({ label: m.node.scope?.node.id ?? 'pipeline' })),
          }),
        ],
      ],
    });
  }
}
