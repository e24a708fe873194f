export type { WaiverErrorCode } from './errors.js';
export { WaiverError } from './errors.js';
export type { NewWaiver, WaiverDeps } from './manage.js';
export { addWaiver, approveWaiver, listWaivers, revokeWaiver, waiverAuditPrefix } from './manage.js';
export { checkTtl, DEFAULT_MAX_TTL_SECONDS, formatSeconds, parseTtl } from './ttl.js';
export type { Waiver } from './waiver.js';
export { ANY_VULNERABILITY, PROVENANCE_WAIVER, waiverCovers, waiverInvalidity } from './waiver.js';
export { parseWaiversFile } from './waivers-file.js';
