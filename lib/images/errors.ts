import { McError } from '../errors/index.js';

/** BAD_EVENT: an event mc cannot read; BAD_PREDICATE: an attestation's predicate mc cannot use; PROMOTION_BLOCKED: a freeze window or the kill switch. */
export class ImageError extends McError<
  'BAD_EVENT' | 'BAD_PREDICATE' | 'PROMOTION_BLOCKED' | 'NOT_RECORDED'
> {}
