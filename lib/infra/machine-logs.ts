import { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { EnvName } from '../plan/index.js';

/** A state machine's execution log: every event with its data, KMS-encrypted. */
export function machineLogs(scope: Construct, name: string, env: EnvName, key: kms.IKey): sfn.LogOptions {
  const destination = new logs.LogGroup(scope, 'Logs', {
    logGroupName: `/aws/vendedlogs/states/${name}`,
    encryptionKey: key,
    retention: env === 'prod' ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.THREE_MONTHS,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return { destination, level: sfn.LogLevel.ALL, includeExecutionData: true };
}
