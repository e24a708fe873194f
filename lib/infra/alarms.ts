import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { EnvName } from '../plan/index.js';
import { platformCount } from './platform-metrics.js';

export interface PlatformAlarmsProps {
  readonly env: EnvName;
  readonly key: kms.IKey;
  readonly verifyImage: sfn.StateMachine;
  /** Gate blocks within an hour that raise the alarm. */
  readonly gateBlocksThreshold: number;
}

/** Alarms on gate-failure spikes and on verification failures, sent to one encrypted topic. */
export class PlatformAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly gateBlocks: cloudwatch.Alarm;
  readonly verificationFailures: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: PlatformAlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: `mc-alarms-${props.env}`,
      masterKey: props.key,
      enforceSSL: true,
    });
    const notify = new actions.SnsAction(this.topic);
    this.gateBlocks = new cloudwatch.Alarm(this, 'GateBlocks', {
      alarmName: `mc-${props.env}-gate-blocks`,
      alarmDescription: `The supply-chain gate blocked ${props.gateBlocksThreshold} or more releases within an hour`,
      metric: platformCount(props.env, 'mc-action', 'GateBlocked', Duration.hours(1)),
      threshold: props.gateBlocksThreshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.verificationFailures = new cloudwatch.Alarm(this, 'VerificationFailures', {
      alarmName: `mc-${props.env}-verification-failures`,
      alarmDescription: 'An image pushed to a watched repository was rejected or could not be verified',
      metric: props.verifyImage.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.gateBlocks, this.verificationFailures]) alarm.addAlarmAction(notify);
  }
}
