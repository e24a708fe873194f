/** Key layout of the single state table (partition key `pk`, sort key `sk`). */
export const KEYS = {
  run: (runId: string) => ({ pk: `RUN#${runId}`, sk: 'RUN' }),
  node: (runId: string, node: string) => ({ pk: `RUN#${runId}`, sk: `NODE#${node}` }),
  nodePrefix: 'NODE#',
  waiter: (runId: string, dep: string, node: string) => ({ pk: `RUN#${runId}`, sk: `WAIT#${dep}#${node}` }),
  waiterPrefix: (dep: string) => `WAIT#${dep}#`,
  runIndex: (startedAt: string, runId: string) => ({ pk: 'RUNS', sk: `${startedAt}#${runId}` }),
  waiver: (id: string) => ({ pk: 'WAIVERS', sk: `WAIVER#${id}` }),
  waivers: 'WAIVERS',
  imageVerification: (image: string, digest: string, eventId: string) => ({
    pk: `IMAGE#${image}@${digest}`,
    sk: `VERIFY#${eventId}`,
  }),
  imagePromotion: (image: string, digest: string, env: string) => ({
    pk: `IMAGE#${image}@${digest}`,
    sk: `PROMOTE#${env}`,
  }),
  image: (image: string, digest: string) => ({ pk: 'IMAGES', sk: `${image}@${digest}` }),
  images: 'IMAGES',
  imageHistory: (service: string, env: string, at: string, digest: string) => ({
    pk: `HISTORY#${service}#${env}`,
    sk: `${at}#${digest}`,
  }),
  imageHistoryOf: (service: string, env: string) => `HISTORY#${service}#${env}`,
} as const;

/**
 * The attribute DynamoDB's TTL reads (epoch seconds). Only waivers carry it; expiry is still
 * checked at decision time, since TTL deletes items up to days late.
 */
export const TTL_ATTRIBUTE = 'expiresAtEpoch';

/** The table definition, used by the CDK stack and by the local engine to create it. */
export const STATE_TABLE_SCHEMA = {
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' as const },
    { AttributeName: 'sk', KeyType: 'RANGE' as const },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' as const },
    { AttributeName: 'sk', AttributeType: 'S' as const },
  ],
};
