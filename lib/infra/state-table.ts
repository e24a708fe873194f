import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { STATE_TABLE_SCHEMA, TTL_ATTRIBUTE } from '../state/index.js';

/**
 * The single state table (runs, nodes, gate waiters, waivers; keys in lib/state/table.ts):
 * point-in-time recovery, encrypted, TTL on waivers' `expiresAtEpoch`, deletion protection in prod.
 */
export class StateTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: { readonly deletionProtection: boolean }) {
    super(scope, id);
    const [hash, range] = STATE_TABLE_SCHEMA.KeySchema;
    const type = (name: string) =>
      STATE_TABLE_SCHEMA.AttributeDefinitions.find((a) => a.AttributeName === name)?.AttributeType === 'S'
        ? dynamodb.AttributeType.STRING
        : dynamodb.AttributeType.BINARY;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: hash.AttributeName, type: type(hash.AttributeName) },
      sortKey: { name: range.AttributeName, type: type(range.AttributeName) },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      deletionProtection: props.deletionProtection,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
