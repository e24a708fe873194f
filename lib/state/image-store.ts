import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EnvName } from '../plan/index.js';
import { conditionalWrite, queryAll, strip } from './dynamo.js';
import type {
  ImageHistoryRecord,
  ImageRecord,
  ImageVerificationRecord,
  PromotionRecord,
} from './image-records.js';
import { KEYS } from './table.js';

type Claim = Pick<
  ImageVerificationRecord,
  'image' | 'digest' | 'eventId' | 'execution' | 'env' | 'service' | 'tag' | 'pushedAt' | 'claimedAt'
>;
type Decided = Pick<
  ImageVerificationRecord,
  'status' | 'decidedAt' | 'signature' | 'provenance' | 'sbom' | 'reasons' | 'evidence' | 'promotion'
>;

/**
 * Image verifications, promotions and the images recorded as good, in the state table. Every
 * change that could race (a redelivered event, a retried Lambda) is a conditional write.
 */
export class ImageStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Claims the verification of (event, digest) for one execution: true when it is this
   * execution's to do (new, claimed by it before, let go as UNVERIFIABLE, or left VERIFYING since
   * before `staleBefore` by one that died); false when another execution has it or it is decided
   * (a duplicate delivery).
   */
  async claimVerification(claim: Claim, staleBefore: string): Promise<boolean> {
    return conditionalWrite(
      this.client,
      new PutCommand({
        TableName: this.table,
        Item: {
          ...KEYS.imageVerification(claim.image, claim.digest, claim.eventId),
          ...claim,
          status: 'VERIFYING',
        },
        ConditionExpression:
          'attribute_not_exists(pk) OR #status = :unverifiable OR (#status = :verifying AND (execution = :me OR claimedAt < :stale))',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':verifying': 'VERIFYING',
          ':unverifiable': 'UNVERIFIABLE',
          ':me': claim.execution,
          ':stale': staleBefore,
        },
      }),
    );
  }

  async getVerification(
    image: string,
    digest: string,
    eventId: string,
  ): Promise<ImageVerificationRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: KEYS.imageVerification(image, digest, eventId),
        ConsistentRead: true,
      }),
    );
    return Item ? strip<ImageVerificationRecord>(Item) : undefined;
  }

  /**
   * Lets go of a claim that could not be decided (the registry did not answer): a retry, a
   * redelivery or a later push may claim it again at once.
   */
  async releaseVerification(
    claim: Pick<Claim, 'image' | 'digest' | 'eventId' | 'execution'>,
    reason: string,
  ): Promise<boolean> {
    return conditionalWrite(
      this.client,
      new UpdateCommand({
        TableName: this.table,
        Key: KEYS.imageVerification(claim.image, claim.digest, claim.eventId),
        UpdateExpression: 'SET #status = :unverifiable, #reason = :reason',
        ConditionExpression: 'execution = :me AND #status = :verifying',
        ExpressionAttributeNames: { '#status': 'status', '#reason': 'reason' },
        ExpressionAttributeValues: {
          ':unverifiable': 'UNVERIFIABLE',
          ':reason': reason,
          ':me': claim.execution,
          ':verifying': 'VERIFYING',
        },
      }),
    );
  }

  /** Records the decision of a claimed verification; false when the claim is not this execution's. */
  async decideVerification(
    claim: Pick<Claim, 'image' | 'digest' | 'eventId' | 'execution'>,
    decided: Decided,
  ): Promise<boolean> {
    const entries = Object.entries(decided).filter(([, v]) => v !== undefined);
    return conditionalWrite(
      this.client,
      new UpdateCommand({
        TableName: this.table,
        Key: KEYS.imageVerification(claim.image, claim.digest, claim.eventId),
        UpdateExpression: `SET ${entries.map(([k]) => `#${k} = :${k}`).join(', ')}`,
        ConditionExpression: 'execution = :me AND #status = :verifying',
        ExpressionAttributeNames: {
          ...Object.fromEntries(entries.map(([k]) => [`#${k}`, k])),
          '#status': 'status',
        },
        ExpressionAttributeValues: {
          ...Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v])),
          ':me': claim.execution,
          ':verifying': 'VERIFYING',
        },
      }),
    );
  }

  /** The attestation view of an image; a verification older than the recorded one does not replace it. */
  async putImage(record: ImageRecord): Promise<boolean> {
    return conditionalWrite(
      this.client,
      new PutCommand({
        TableName: this.table,
        Item: { ...KEYS.image(record.image, record.digest), ...record },
        ConditionExpression: 'attribute_not_exists(pk) OR verifiedAt <= :at',
        ExpressionAttributeValues: { ':at': record.verifiedAt },
      }),
    );
  }

  async getImage(image: string, digest: string): Promise<ImageRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: KEYS.image(image, digest), ConsistentRead: true }),
    );
    return Item ? strip<ImageRecord>(Item) : undefined;
  }

  /** Notes on an image's view what became of its promotion. */
  async setPromotionState(image: string, digest: string, promotion: NonNullable<ImageRecord['promotion']>) {
    await conditionalWrite(
      this.client,
      new UpdateCommand({
        TableName: this.table,
        Key: KEYS.image(image, digest),
        UpdateExpression: 'SET promotion = :promotion',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':promotion': promotion },
      }),
    );
  }

  /** Every image recorded, optionally of one environment, newest verification first. */
  async listImages(env?: EnvName): Promise<ImageRecord[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': KEYS.images },
      ConsistentRead: true,
    });
    return items
      .map((i) => strip<ImageRecord>(i))
      .filter((i) => !env || i.env === env)
      .sort((a, b) => b.verifiedAt.localeCompare(a.verifiedAt));
  }

  /** Records a promotion once; false when this digest was promoted into that environment already. */
  async recordPromotion(record: PromotionRecord): Promise<boolean> {
    return conditionalWrite(
      this.client,
      new PutCommand({
        TableName: this.table,
        Item: { ...KEYS.imagePromotion(record.image, record.digest, record.to), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getPromotion(image: string, digest: string, env: EnvName): Promise<PromotionRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: KEYS.imagePromotion(image, digest, env),
        ConsistentRead: true,
      }),
    );
    return Item ? strip<PromotionRecord>(Item) : undefined;
  }

  /** Adds to a service's history in an environment (the same entry twice is one entry). */
  async addHistory(record: ImageHistoryRecord): Promise<void> {
    await conditionalWrite(
      this.client,
      new PutCommand({
        TableName: this.table,
        Item: { ...KEYS.imageHistory(record.service, record.env, record.at, record.digest), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** A service's history in an environment, newest first. */
  async history(service: string, env: EnvName): Promise<ImageHistoryRecord[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': KEYS.imageHistoryOf(service, env) },
      ScanIndexForward: false,
      ConsistentRead: true,
    });
    return items.map((i) => strip<ImageHistoryRecord>(i));
  }
}
