import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { create, extract } from 'tar';
import type { EvidenceStore } from '../evidence/index.js';

/** Packs `files` (relative to `root`) as a gzipped tar and stores it once under `key`. */
export async function saveOutputs(
  evidence: EvidenceStore,
  key: string,
  root: string,
  files: readonly string[],
): Promise<void> {
  const chunks: Buffer[] = [];
  // './' first: tar reads a leading '@' as "merge this archive".
  const stream = create(
    { gzip: true, cwd: root, portable: true, noDirRecurse: true },
    files.map((f) => `./${f}`),
  );
  for await (const chunk of stream as unknown as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
  await evidence.putOnce(key, Buffer.concat(chunks), 'application/gzip');
}

/** Unpacks the outputs stored under `key` into `root`, replacing files of the same name. */
export async function restoreOutputs(evidence: EvidenceStore, key: string, root: string): Promise<boolean> {
  const bytes = await evidence.get(key);
  if (!bytes) return false;
  await pipeline(Readable.from([Buffer.from(bytes)]), extract({ cwd: root }));
  return true;
}
