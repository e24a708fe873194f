import { McError } from '../errors/index.js';

/** The command line itself is wrong (unknown option, missing or unreadable file): exit 2. */
export class UsageError extends McError<'USAGE'> {
  constructor(message: string, options?: { cause?: unknown }) {
    super('USAGE', message, options);
  }
}
