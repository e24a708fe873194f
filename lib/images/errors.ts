import { McError } from '../errors/index.js';

/**
 * BAD_EVENT: an event mc cannot read. BAD_POLICY_FILE: a promotion map or freeze-windows file that
 * is unreadable or breaks its schema. NOT_PROMOTABLE: the image cannot be promoted (not verified,
 * no next environment, a freeze window, the kill switch). NOT_RECORDED: nothing recorded to act on
 * (rollback with no earlier good image).
 */
export class ImageError extends McError<
  'BAD_EVENT' | 'BAD_POLICY_FILE' | 'NOT_PROMOTABLE' | 'NOT_RECORDED'
> {}
