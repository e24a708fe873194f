import { McError } from '../errors/index.js';

/**
 * NOT_FOUND: no such manifest or blob. DENIED: credentials refused. UNREACHABLE: the registry did
 * not answer (worth a retry). INSECURE: plain HTTP without --insecure-registry. BAD_RESPONSE: an
 * answer that breaks the distribution API (a digest that does not match, a body that is not JSON).
 * BAD_REFERENCE: an image reference mc cannot read.
 */
export class RegistryError extends McError<
  'NOT_FOUND' | 'DENIED' | 'UNREACHABLE' | 'INSECURE' | 'BAD_RESPONSE' | 'BAD_REFERENCE'
> {}
