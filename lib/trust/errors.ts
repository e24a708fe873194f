import { McError } from '../errors/index.js';

/** BAD_TRUST_POLICY: the file is unreadable or not a TrustPolicy (a usage error at the CLI). */
export class TrustError extends McError<'BAD_TRUST_POLICY'> {}
