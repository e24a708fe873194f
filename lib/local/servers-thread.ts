import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { McError } from '../errors/index.js';

export class ServersError extends McError<'START_FAILED'> {}

export interface RunningServers {
  readonly dynamodbPort: number;
  readonly s3Port: number;
  stop(): Promise<void>;
}

// The thread's code: plain JS that loads the two servers by absolute path, so it runs the same
// from the TypeScript sources (tests) and from the bundle (dist/mc.js).
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const dynalite = require(workerData.dynalite);
const S3rver = require(workerData.s3rver);
(async () => {
  const dynamo = dynalite({ path: workerData.dynamoPath, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise((resolve, reject) => { dynamo.once('error', reject); dynamo.listen(0, '127.0.0.1', resolve); });
  const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: workerData.s3Path });
  const s3Address = await s3.run();
  parentPort.on('message', async (message) => {
    if (message !== 'stop') return;
    await s3.close();
    await new Promise((resolve) => dynamo.close(resolve));
    parentPort.postMessage({ stopped: true });
  });
  parentPort.postMessage({ dynamodbPort: dynamo.address().port, s3Port: s3Address.port });
})().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

/**
 * Starts dynalite and s3rver in a worker thread: they get an event loop (and a core) of their
 * own, so a busy run does not queue its own state writes behind its orchestration, and back.
 */
export async function startServersThread(dynamoPath: string, s3Path: string): Promise<RunningServers> {
  const require = createRequire(import.meta.url);
  const worker = new Worker(THREAD, {
    eval: true,
    workerData: {
      dynalite: require.resolve('dynalite'),
      s3rver: require.resolve('s3rver'),
      dynamoPath,
      s3Path,
    },
  });
  const started = await new Promise<{ dynamodbPort: number; s3Port: number }>((resolve, reject) => {
    worker.once('message', (message: { dynamodbPort?: number; s3Port?: number; error?: string }) => {
      if (message.error || !message.dynamodbPort || !message.s3Port)
        reject(new ServersError('START_FAILED', `the embedded servers did not start: ${message.error}`));
      else resolve({ dynamodbPort: message.dynamodbPort, s3Port: message.s3Port });
    });
    worker.once('error', (error: Error) =>
      reject(
        new ServersError('START_FAILED', `the embedded servers did not start: ${error.message}`, {
          cause: error,
        }),
      ),
    );
  });
  return {
    ...started,
    stop: async () => {
      const stopped = new Promise<void>((resolve) => worker.once('message', () => resolve()));
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  };
}
