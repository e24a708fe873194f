import { type LocalBackend, openLocalBackend } from '../local/index.js';
import { mcHome } from '../paths/index.js';
import type { CliIO } from './io.js';

/** Runs `work` against the project's embedded DynamoDB and S3 (`./.mc/` or MC_HOME), then lets go of them. */
export async function withLocalBackend<T>(
  io: CliIO,
  work: (backend: LocalBackend, home: string) => Promise<T>,
  home = mcHome(io.cwd, io.env),
): Promise<T> {
  const backend = await openLocalBackend(home);
  try {
    return await work(backend, home);
  } finally {
    await backend.close();
  }
}
