import { AsyncLocalStorage } from 'node:async_hooks';
import { generateKeyPairSync } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import { p256 } from '@noble/curves/nist.js';
import type {
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  MiddlewareStack,
} from '@smithy/types';
import type { AdmissionDeps } from '../../../lib/admission/index.js';
import type { Json } from '../../../lib/contract/index.js';
import { EvidenceStore } from '../../../lib/evidence/index.js';
import {
  backendClients,
  LOCAL_BUCKET,
  LOCAL_TABLE,
  type LocalBackend,
  localRunDeps,
} from '../../../lib/local/index.js';
import type { RunDeps } from '../../../lib/run/index.js';
import { KmsSigner } from '../../../lib/signing/index.js';
import { documentClient, ImageStore, StateStore, WaiverStore } from '../../../lib/state/index.js';
import { LocalTaskTokens } from '../../../lib/tokens/index.js';

/** Which platform function is running (set around each handler call); stage builds run outside any. */
export const currentFunction = new AsyncLocalStorage<string>();
export const STAGE_BUILD = 'stage build (mc-workspace)';

/** The AWS calls made, by the function (deployed name) or stage build that made them. */
export class CallLog {
  readonly calls = new Map<string, Set<string>>();

  record(call: string): void {
    const who = currentFunction.getStore() ?? STAGE_BUILD;
    if (!this.calls.has(who)) this.calls.set(who, new Set());
    this.calls.get(who)?.add(call);
  }

  of(who: string): string[] {
    return [...(this.calls.get(who) ?? [])].sort();
  }
}

// lib-dynamodb's commands name the document operation; the API call is the item operation.
const DOCUMENT_OPERATIONS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
};

function recordCommands(
  client: { middlewareStack: MiddlewareStack<object, object> },
  service: string,
  log: CallLog,
): void {
  client.middlewareStack.add(
    (next: InitializeHandler<object, object>, context: HandlerExecutionContext) =>
      async (args: InitializeHandlerArguments<object>) => {
        const operation = String(context.commandName).replace(/Command$/, '');
        log.record(
          `${service}:${service === 'dynamodb' ? (DOCUMENT_OPERATIONS[operation] ?? operation) : operation}`,
        );
        return next(args);
      },
    { step: 'initialize', name: 'recordCalls' },
  );
}

class RecordingTokens extends LocalTaskTokens {
  constructor(private readonly log: CallLog) {
    super();
  }

  override async succeed(token: string, output: Json): Promise<void> {
    this.log.record('sfn:SendTaskSuccess');
    return super.succeed(token, output);
  }
}

// KMS that really signs the digest it is sent (P-256), as the deployed signing key does.
type KmsClient = ConstructorParameters<typeof KmsSigner>[0];

function signingKms(log: CallLog): KmsClient {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const scalar = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
  return {
    send: (async (command: unknown) => {
      if (command instanceof GetPublicKeyCommand) {
        log.record('kms:GetPublicKey');
        return {
          KeyUsage: 'SIGN_VERIFY',
          KeySpec: 'ECC_NIST_P256',
          PublicKey: publicKey.export({ type: 'spki', format: 'der' }),
        };
      }
      if (command instanceof SignCommand) {
        log.record('kms:Sign');
        const digest = Buffer.from(command.input.Message as Uint8Array);
        return {
          Signature: Buffer.from(p256.sign(digest, scalar, { prehash: false, format: 'der', lowS: false })),
        };
      }
      throw new Error('unexpected KMS command');
    }) as KmsClient['send'],
  };
}

// DynamoDB and S3 clients on the embedded backend that record each call.
function recordingClients(backend: LocalBackend, log: CallLog) {
  const { dynamo, s3 } = backendClients(backend.endpoints);
  recordCommands(dynamo as never, 'dynamodb', log);
  recordCommands(s3 as never, 's3', log);
  const documents = documentClient(dynamo);
  return { documents, s3 };
}

/** The run's dependencies on the embedded backend, with every AWS call recorded. */
export function recordingDeps(
  backend: LocalBackend,
  home: string,
  log: CallLog,
): RunDeps & { readonly tokens: LocalTaskTokens } {
  const { documents, s3 } = recordingClients(backend, log);
  const signer = new KmsSigner(signingKms(log), 'arn:aws:kms:eu-west-1:111111111111:key/test');
  return {
    // Whatever else the handlers need (the trust policy, …) as a local run has it.
    ...localRunDeps(backend, home),
    state: new StateStore(documents, LOCAL_TABLE),
    waivers: new WaiverStore(documents, LOCAL_TABLE),
    evidence: new EvidenceStore(s3, LOCAL_BUCKET),
    tokens: new RecordingTokens(log),
    now: () => new Date(),
    signer: () => signer,
  };
}

/**
 * The image functions' dependencies with every AWS call recorded: DynamoDB and S3 through
 * recording clients on the embedded backend, the kill switch as the SSM read it is on AWS, and
 * registry requests as the ECR permissions they need (reads are pulls, writes pushes).
 */
export function recordingAdmission(backend: LocalBackend, log: CallLog, base: AdmissionDeps): AdmissionDeps {
  const { documents, s3 } = recordingClients(backend, log);
  return {
    ...base,
    images: new ImageStore(documents, LOCAL_TABLE),
    waivers: new WaiverStore(documents, LOCAL_TABLE),
    evidence: new EvidenceStore(s3, LOCAL_BUCKET),
    registry: (host) => {
      const client = base.registry(host);
      const requests = client.requests;
      // Each request becomes the permission it needs, as it is made.
      requests.push = (...made: string[]) => {
        for (const r of made) log.record(/^(GET|HEAD) /.test(r) ? 'registry:pull' : 'registry:push');
        return Array.prototype.push.apply(requests, made);
      };
      return client;
    },
    promotionStopped: async () => {
      log.record('ssm:GetParameter');
      return base.promotionStopped();
    },
  };
}
