import { McError } from '../errors/index.js';

export type GateErrorCode = 'UNKNOWN_FORMAT' | 'BROKEN_FILE';

/** A findings or SBOM file that cannot be read: names the file and what was expected. */
export class GateError extends McError<GateErrorCode> {}
