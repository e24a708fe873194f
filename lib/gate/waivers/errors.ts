import { McError } from '../../errors/index.js';

export type WaiverErrorCode =
  | 'BAD_TTL'
  | 'TTL_TOO_LONG'
  | 'BAD_FILE'
  | 'NOT_FOUND'
  | 'EXISTS'
  | 'SELF_APPROVAL'
  | 'ALREADY_APPROVED'
  | 'REVOKED'
  | 'BAD_INPUT';

export class WaiverError extends McError<WaiverErrorCode> {}
