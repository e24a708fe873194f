import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EvidenceStore } from '../../lib/evidence/index.js';
import { defaultEcrAuth, type RegistryClient, registryClients } from '../../lib/registry/index.js';
import type { RunDeps } from '../../lib/run/index.js';
import { defaultKmsSigner, type KmsSigner } from '../../lib/signing/index.js';
import { documentClient, StateStore, WaiverStore } from '../../lib/state/index.js';
import { SfnTaskTokens } from '../../lib/tokens/index.js';
import { loadTrustPolicy, type TrustPolicy } from '../../lib/trust/index.js';

let deps: RunDeps | undefined;
let signer: KmsSigner | undefined;
let trustPolicy: TrustPolicy | undefined;

let stores: AwsStores | undefined;

/** The state table and the evidence bucket, as every platform function reaches them. */
export interface AwsStores {
  readonly documents: DynamoDBDocumentClient;
  readonly table: string;
  readonly evidence: EvidenceStore;
  readonly waivers: WaiverStore;
}

/** The table and bucket the function's environment names, with clients made once per container. */
export function awsStores(): AwsStores {
  if (stores) return stores;
  const table = required('MC_STATE_TABLE');
  const bucket =
    process.env.MC_EVIDENCE_BUCKET ??
    /^s3:\/\/([^/]+)\//.exec(process.env.MC_EVIDENCE ?? '')?.[1] ??
    required('MC_EVIDENCE_BUCKET');
  const documents = documentClient(new DynamoDBClient({}));
  stores = {
    documents,
    table,
    waivers: new WaiverStore(documents, table),
    // Path-style addressing for S3-compatible stores (the local stand-in in tests).
    evidence: new EvidenceStore(
      new S3Client({ forcePathStyle: process.env.MC_S3_FORCE_PATH_STYLE === 'true' }),
      bucket,
    ),
  };
  return stores;
}

/** Registries as the platform functions reach them: ECR with its token, HTTPS only. */
export function awsRegistries(): (host: string) => RegistryClient {
  return registryClients({ ecr: defaultEcrAuth });
}

/** The handlers' clients on AWS, created once per Lambda container from its environment. */
export function awsDeps(): RunDeps {
  if (deps) return deps;
  const { documents, table, evidence, waivers } = awsStores();
  deps = {
    state: new StateStore(documents, table),
    waivers,
    evidence,
    tokens: new SfnTaskTokens(new SFNClient({})),
    now: () => new Date(),
    // The pipeline's KMS signing key; asked for only when a node signs.
    signer: () => {
      signer ??= defaultKmsSigner(required('MC_SIGNING_KEY_ARN'));
      return signer;
    },
    // The policy bundled with the function, or the one MC_TRUST_POLICY names.
    trustPolicy: () => {
      trustPolicy ??= loadTrustPolicy(process.env.MC_TRUST_POLICY);
      return trustPolicy;
    },
    registry: awsRegistries(),
  };
  return deps;
}

export function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
