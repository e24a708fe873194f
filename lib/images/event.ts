import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { ImageError } from './errors.js';

/** A successful push, as EventBridge's `ECR Image Action` event reports it. */
export interface ImagePush {
  readonly eventId: string;
  readonly account: string;
  readonly region: string;
  readonly repository: string;
  readonly digest: string;
  readonly tag?: string;
  readonly time: string;
}

export type PushEvent =
  | ({ readonly kind: 'push' } & ImagePush)
  | { readonly kind: 'ignored'; readonly eventId: string; readonly reason: string };

// The fields mc reads; EventBridge adds others (version, resources), which are left alone.
const SCHEMA = {
  type: 'object',
  required: ['id', 'source', 'detail-type', 'account', 'region', 'time', 'detail'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 128 },
    source: { type: 'string' },
    'detail-type': { type: 'string' },
    account: { type: 'string', pattern: '^\\d{12}$' },
    region: { type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-\\d$' },
    time: { type: 'string', minLength: 1 },
    detail: {
      type: 'object',
      required: ['action-type', 'result', 'repository-name'],
      properties: {
        'action-type': { type: 'string' },
        result: { type: 'string' },
        'repository-name': { type: 'string', minLength: 2, maxLength: 256 },
        'image-digest': { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
        'image-tag': { type: 'string', maxLength: 128 },
      },
    },
  },
} as const;

let validate: ValidateFunction | undefined;

/**
 * Reads an EventBridge event: a successful ECR push is a `push`; other detail types, sources,
 * actions (DELETE) and results (FAILURE) are `ignored`, saying why. An event that is not an
 * EventBridge event at all, or a push without a digest, is refused with every problem listed.
 */
export function parsePushEvent(event: unknown): PushEvent {
  validate ??= new Ajv2020({ allErrors: true, strict: false }).compile(SCHEMA);
  if (!validate(event)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
    throw new ImageError('BAD_EVENT', `not an ECR Image Action event: ${problems.join('; ')}`);
  }
  const e = event as {
    id: string;
    source: string;
    'detail-type': string;
    account: string;
    region: string;
    time: string;
    detail: Record<string, string | undefined>;
  };
  const ignored = (reason: string): PushEvent => ({ kind: 'ignored', eventId: e.id, reason });
  if (e.source !== 'aws.ecr' || e['detail-type'] !== 'ECR Image Action')
    return ignored(`a ${e['detail-type']} event from ${e.source}, not an ECR Image Action`);
  if (e.detail['action-type'] !== 'PUSH') return ignored(`an ECR ${e.detail['action-type']}, not a PUSH`);
  if (e.detail.result !== 'SUCCESS') return ignored(`a push that ended in ${e.detail.result}`);
  const digest = e.detail['image-digest'];
  if (!digest)
    throw new ImageError('BAD_EVENT', 'not an ECR Image Action event: /detail has no image-digest');
  return {
    kind: 'push',
    eventId: e.id,
    account: e.account,
    region: e.region,
    repository: String(e.detail['repository-name']),
    digest,
    ...(e.detail['image-tag'] ? { tag: e.detail['image-tag'] } : {}),
    time: e.time,
  };
}

/** The ECR registry host of an account and region. */
export function ecrHost(account: string, region: string): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com`;
}

/** EventBridge's `ECR Image Action` event. */
export interface EcrImageActionEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: {
    readonly result: string;
    readonly 'repository-name': string;
    readonly 'image-digest': string;
    readonly 'action-type': string;
    readonly 'image-tag'?: string;
  };
}

/** An ECR Image Action event for a push, as EventBridge delivers it. */
export function pushEvent(push: Omit<ImagePush, 'time'> & { readonly time?: string }): EcrImageActionEvent {
  return {
    version: '0',
    id: push.eventId,
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account: push.account,
    time: push.time ?? new Date().toISOString(),
    region: push.region,
    resources: [],
    detail: {
      result: 'SUCCESS',
      'repository-name': push.repository,
      'image-digest': push.digest,
      'action-type': 'PUSH',
      ...(push.tag ? { 'image-tag': push.tag } : {}),
    },
  };
}
