import { McError } from '../errors/index.js';

export type SbomErrorCode = 'NO_LOCKFILE' | 'UNKNOWN_FORMAT' | 'BROKEN_FILE';

/** An SBOM, lockfile or manifest that cannot be read: names the file and what was expected. */
export class SbomError extends McError<SbomErrorCode> {}
