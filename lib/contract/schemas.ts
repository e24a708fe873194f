import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { ActionError } from './errors.js';

// JSON Schemas of the task payloads: handlers parse their event at the edge, never trust it raw.

const id = { type: 'string', minLength: 1, maxLength: 512 } as const;
const ids = { type: 'array', items: id } as const;
const error = {
  type: 'object',
  properties: { Error: { type: 'string' }, Cause: { type: 'string' } },
} as const;

const SCHEMAS = {
  runStart: {
    type: 'object',
    required: ['run'],
    properties: {
      run: {
        type: 'object',
        required: ['runId', 'pipeline', 'env', 'github', 'evidence'],
        properties: {
          runId: id,
          pipeline: id,
          env: { enum: ['dev', 'staging', 'prod'] },
          github: { type: 'object', additionalProperties: { type: 'string' } },
          evidence: {
            type: 'object',
            required: ['bucket', 'prefix', 'uri'],
            properties: { bucket: id, prefix: id, uri: id },
          },
        },
      },
    },
  },
  gate: {
    type: 'object',
    required: ['taskToken', 'runId', 'node', 'dependsOn'],
    properties: {
      taskToken: id,
      runId: id,
      node: id,
      dependsOn: ids,
      followers: ids,
      condition: { type: 'string' },
      scope: { type: 'object' },
    },
  },
  signal: {
    type: 'object',
    required: ['runId', 'node', 'status'],
    properties: {
      runId: id,
      node: id,
      status: { enum: ['FAILED', 'SKIPPED'] },
      reason: { type: 'string' },
      error,
      followers: ids,
      fused: ids,
    },
  },
  runFinish: { type: 'object', required: ['runId'], properties: { runId: id, failure: error } },
  action: {
    type: 'object',
    required: ['runId', 'node', 'action'],
    properties: { runId: id, node: id, action: id, with: { type: 'object' }, artifacts: ids, services: ids },
  },
  // The event itself is read by lib/images, which says precisely what is wrong with it.
  verifyImage: { type: 'object', required: ['event', 'execution'], properties: { execution: id } },
  promoteImage: {
    type: 'object',
    required: ['image', 'digest', 'eventId', 'execution'],
    properties: {
      image: id,
      digest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
      eventId: id,
      execution: id,
    },
  },
} as const;

export type PayloadKind = keyof typeof SCHEMAS;

const ajv = new Ajv2020({ allErrors: true, strict: false });
const compiled = new Map<PayloadKind, ValidateFunction>();

/** The event as `T`, or an MC.InvalidInput error listing what is wrong with it. */
export function parsePayload<T>(kind: PayloadKind, event: unknown): T {
  let validate = compiled.get(kind);
  if (!validate) {
    validate = ajv.compile(SCHEMAS[kind]);
    compiled.set(kind, validate);
  }
  if (validate(event)) return event as T;
  const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
  throw new ActionError('INVALID_INPUT', `invalid ${kind} payload: ${problems}`);
}
