import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { create, extract } from 'tar';
import type { EvidenceStore } from '../evidence/index.js';

/** Packs `entries` (relative to `root`) as a gzipped tar; directories with all they hold when `recurse`. */
export async function pack(root: string, entries: readonly string[], recurse: boolean): Promise<Buffer> {
  const chunks: Buffer[] = [];
  // './' first: tar reads a leading '@' as "merge this archive".
  const stream = create(
    { gzip: true, cwd: root, portable: true, noDirRecurse: !recurse },
    entries.map((f) => `./${f}`),
  );
  for await (const chunk of stream as unknown as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Unpacks a gzipped tar into `root`, replacing files of the same name. */
export async function unpack(bytes: Uint8Array, root: string): Promise<void> {
  await pipeline(Readable.from([Buffer.from(bytes)]), extract({ cwd: root }));
}

/** Packs `files` (relative to `root`) and stores them once under `key`. */
export async function saveOutputs(
  evidence: EvidenceStore,
  key: string,
  root: string,
  files: readonly string[],
): Promise<void> {
  await evidence.putOnce(key, await pack(root, files, false), 'application/gzip');
}

/** Unpacks the outputs stored under `key` into `root`. */
export async function restoreOutputs(evidence: EvidenceStore, key: string, root: string): Promise<boolean> {
  const bytes = await evidence.get(key);
  if (!bytes) return false;
  await unpack(bytes, root);
  return true;
}
