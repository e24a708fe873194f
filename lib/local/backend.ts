import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { McError } from '../errors/index.js';
import { EvidenceStore } from '../evidence/index.js';
import { defaultEcrAuth, registryClients, registrySettings } from '../registry/index.js';
import type { RunDeps } from '../run/index.js';
import { type KeyedSigner, projectKeySigner } from '../signing/index.js';
import { documentClient, ImageStore, STATE_TABLE_SCHEMA, StateStore, WaiverStore } from '../state/index.js';
import { LocalTaskTokens } from '../tokens/index.js';
import { loadTrustPolicy, type TrustPolicy } from '../trust/index.js';
import { isAlive } from './process-alive.js';
import { startServersThread } from './servers-thread.js';

export const LOCAL_TABLE = 'mc-state';
export const LOCAL_BUCKET = 'mc-evidence';
const ENDPOINT_FILE = 'endpoint.json';
const LOCK_FILE = 'host.lock';

export class LocalBackendError extends McError<'HOST_BUSY' | 'UNREACHABLE'> {}

interface Endpoints {
  readonly pid: number;
  readonly dynamodb: string;
  readonly s3: string;
}

/** The embedded DynamoDB and S3 of a project (`.mc/`), hosted by this process or reached in another. */
export interface LocalBackend {
  readonly state: StateStore;
  readonly waivers: WaiverStore;
  /** Image verifications, promotions and history. */
  readonly images: ImageStore;
  readonly evidence: EvidenceStore;
  readonly endpoints: Endpoints;
  /** Whether this process hosts the servers (and stops them on close). */
  readonly hosting: boolean;
  close(): Promise<void>;
}

/**
 * Connects to the project's embedded servers: to the process that hosts them (found through
 * `.mc/endpoint.json`), or, when none runs, starts them here on random loopback ports with their
 * data under `.mc/` (kept across runs). One process hosts them at a time: two dynalite servers on
 * one data directory corrupt each other.
 */
/** The run handlers' dependencies on this backend, with in-process task tokens. */
export function localRunDeps(
  backend: LocalBackend,
  home: string,
  /** Where MC_KEY_PASSPHRASE and MC_TRUST_POLICY are read: the `mc` command's environment. */
  env: Readonly<Record<string, string | undefined>> = process.env,
): RunDeps & { readonly tokens: LocalTaskTokens } {
  let signer: KeyedSigner | undefined;
  let trustPolicy: TrustPolicy | undefined;
  return {
    state: backend.state,
    waivers: backend.waivers,
    evidence: backend.evidence,
    tokens: new LocalTaskTokens(),
    now: () => new Date(),
    // The project key (.mc/keys/), created the first time a run signs.
    signer: () => {
      signer ??= projectKeySigner(home, env.MC_KEY_PASSPHRASE).signer;
      return signer;
    },
    trustPolicy: () => {
      trustPolicy ??= loadTrustPolicy(env.MC_TRUST_POLICY);
      return trustPolicy;
    },
    // Plain HTTP only for the hosts MC_INSECURE_REGISTRIES lists (a loopback registry).
    registry: registryClients({ ...registrySettings(env), ecr: defaultEcrAuth }),
  };
}

export async function openLocalBackend(home: string): Promise<LocalBackend> {
  mkdirSync(home, { recursive: true });
  const deadline = Date.now() + 15_000;
  for (;;) {
    // Registered before looking: a host that is closing waits for the clients it can see.
    const client = register(home);
    const running = readEndpoints(home);
    if (running && isAlive(running.pid)) return connect(running, false, async () => unregister(client));
    unregister(client);
    const lock = join(home, LOCK_FILE);
    if (tryLock(lock)) {
      try {
        return await host(home, lock);
      } catch (error) {
        rmSync(lock, { force: true });
        throw error;
      }
    }
    // Another process holds the lock: it is starting the servers, or died holding it.
    const holder = readHolder(lock);
    if (holder && !isAlive(holder)) rmSync(lock, { force: true });
    if (Date.now() > deadline)
      throw new LocalBackendError(
        'HOST_BUSY',
        `another mc process (pid ${holder}) holds ${lock} and did not publish its endpoints`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function host(home: string, lock: string): Promise<LocalBackend> {
  mkdirSync(join(home, 's3'), { recursive: true });
  const servers = await startServersThread(join(home, 'dynamodb'), join(home, 's3'));
  const endpoints: Endpoints = {
    pid: process.pid,
    dynamodb: `http://127.0.0.1:${servers.dynamodbPort}`,
    s3: `http://127.0.0.1:${servers.s3Port}`,
  };
  const stop = async () => {
    // No new clients find us; the ones connected keep the servers until they let go.
    if (readEndpoints(home)?.pid === process.pid) rmSync(join(home, ENDPOINT_FILE), { force: true });
    while (liveClients(home) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    rmSync(lock, { force: true });
    await servers.stop();
  };
  const backend = connect(endpoints, true, stop);
  await ensureResources(endpoints);
  writeFileSync(join(home, ENDPOINT_FILE), `${JSON.stringify(endpoints)}\n`);
  return backend;
}

function connect(endpoints: Endpoints, hosting: boolean, stop: () => Promise<void>): LocalBackend {
  const { dynamo, s3 } = backendClients(endpoints);
  const documents = documentClient(dynamo);
  const state = new StateStore(documents, LOCAL_TABLE);
  const waivers = new WaiverStore(documents, LOCAL_TABLE);
  const evidence = new EvidenceStore(s3, LOCAL_BUCKET);
  return {
    state,
    waivers,
    images: new ImageStore(documents, LOCAL_TABLE),
    evidence,
    endpoints,
    hosting,
    close: async () => {
      dynamo.destroy();
      s3.destroy();
      await stop();
    },
  };
}

/** Fresh SDK clients for the embedded servers (tests and tools that talk to them directly). */
export function backendClients(endpoints: Endpoints): { dynamo: DynamoDBClient; s3: S3Client } {
  const region = 'us-east-1';
  return {
    dynamo: new DynamoDBClient({
      endpoint: endpoints.dynamodb,
      region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    // s3rver accepts only these credentials and path-style addressing.
    s3: new S3Client({
      endpoint: endpoints.s3,
      region,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    }),
  };
}

async function ensureResources(endpoints: Endpoints): Promise<void> {
  const { dynamo, s3 } = backendClients(endpoints);
  try {
    await dynamo
      .send(
        new CreateTableCommand({
          TableName: LOCAL_TABLE,
          BillingMode: 'PAY_PER_REQUEST',
          ...STATE_TABLE_SCHEMA,
        }),
      )
      .catch((error) => {
        if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
      });
    await s3.send(new CreateBucketCommand({ Bucket: LOCAL_BUCKET })).catch((error) => {
      if (
        !['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes((error as { name?: string }).name ?? '')
      )
        throw error;
    });
  } finally {
    dynamo.destroy();
    s3.destroy();
  }
}

function readEndpoints(home: string): Endpoints | undefined {
  const file = join(home, ENDPOINT_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Endpoints;
  } catch {
    return undefined;
  }
}

function tryLock(file: string): boolean {
  try {
    const fd = openSync(file, 'wx');
    writeFileSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch {
    return false;
  }
}

function readHolder(lock: string): number {
  try {
    return Number(readFileSync(lock, 'utf8') || 0);
  } catch {
    return 0; // released meanwhile
  }
}

const CLIENTS_DIR = 'clients';
let registrations = 0;

function register(home: string): string {
  mkdirSync(join(home, CLIENTS_DIR), { recursive: true });
  const file = join(home, CLIENTS_DIR, `${process.pid}-${++registrations}`);
  writeFileSync(file, String(process.pid));
  return file;
}

function unregister(file: string): void {
  rmSync(file, { force: true });
}

// Registrations of processes that are gone are removed on the way.
function liveClients(home: string): number {
  let live = 0;
  if (!existsSync(join(home, CLIENTS_DIR))) return 0;
  for (const name of readdirSync(join(home, CLIENTS_DIR), { withFileTypes: true })) {
    const pid = Number(name.name.split('-')[0]);
    if (isAlive(pid)) live++;
    else rmSync(join(home, CLIENTS_DIR, name.name), { force: true });
  }
  return live;
}
