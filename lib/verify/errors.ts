import { McError } from '../errors/index.js';

/** NOT_VERIFIED: exit 1 with the reason; USAGE: a flag that cannot be applied (exit 2). */
export class VerifyError extends McError<'NOT_VERIFIED' | 'USAGE'> {}
