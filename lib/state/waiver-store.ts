import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Waiver } from '../gate/index.js';
import { conditionalWrite, queryAll, strip } from './dynamo.js';
import { KEYS, TTL_ATTRIBUTE } from './table.js';

/** Waivers in the state table (partition `WAIVERS`), every change a conditional write. */
export class WaiverStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Records a new waiver; false when one with this id exists. */
  async add(waiver: Waiver): Promise<boolean> {
    return conditionalWrite(
      this.client,
      new PutCommand({
        TableName: this.table,
        Item: {
          ...KEYS.waiver(waiver.id),
          ...waiver,
          [TTL_ATTRIBUTE]: Math.ceil(Date.parse(waiver.expiresAt) / 1000),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(id: string): Promise<Waiver | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: KEYS.waiver(id), ConsistentRead: true }),
    );
    return Item ? toWaiver(Item) : undefined;
  }

  /** Every waiver recorded (expired and revoked ones too, until TTL removes them). */
  async list(): Promise<Waiver[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': KEYS.waivers },
      ConsistentRead: true,
    });
    return items.map(toWaiver);
  }

  /**
   * Approves a waiver that is neither approved nor revoked, by someone other than its owner;
   * false when one of those does not hold (read the waiver to tell which).
   */
  async approve(id: string, by: string, at: string): Promise<boolean> {
    return this.update(
      id,
      'SET approvedBy = :by, approvedAt = :at',
      'attribute_exists(pk) AND attribute_not_exists(approvedBy) AND attribute_not_exists(revokedAt) AND #owner <> :by',
      { ':by': by, ':at': at },
      { '#owner': 'owner' },
    );
  }

  /** Revokes a waiver once; false when it does not exist or was revoked already. */
  async revoke(id: string, by: string, at: string): Promise<boolean> {
    return this.update(
      id,
      'SET revokedBy = :by, revokedAt = :at',
      'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
      { ':by': by, ':at': at },
    );
  }

  private update(
    id: string,
    expression: string,
    condition: string,
    values: Record<string, string>,
    names?: Record<string, string>,
  ): Promise<boolean> {
    return conditionalWrite(
      this.client,
      new UpdateCommand({
        TableName: this.table,
        Key: KEYS.waiver(id),
        UpdateExpression: expression,
        ConditionExpression: condition,
        ExpressionAttributeValues: values,
        ...(names ? { ExpressionAttributeNames: names } : {}),
      }),
    );
  }
}

function toWaiver(item: Record<string, unknown>): Waiver {
  const { [TTL_ATTRIBUTE]: _ttl, ...rest } = strip<Record<string, unknown>>(item);
  return rest as unknown as Waiver;
}
