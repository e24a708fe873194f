export type { CollectedImage, ImageAttachment } from './collect.js';
export { collectImage } from './collect.js';
export type { ImageDecision, ImageDecisionOptions, ImageReason } from './decide.js';
export { decideImage } from './decide.js';
export { ImageError } from './errors.js';
export type { EcrImageActionEvent, ImagePush, PushEvent } from './event.js';
export { ecrHost, parsePushEvent, pushEvent } from './event.js';
export type { FreezeWindow, FreezeWindows } from './freeze-windows.js';
export {
  activeFreeze,
  loadFreezeWindows,
  parseFreezeWindows,
  SHIPPED_FREEZE_WINDOWS,
} from './freeze-windows.js';
export { promotionSwitch } from './kill-switch.js';
export type { ImagePredicate } from './predicates.js';
export { IMAGE_PREDICATES, imageStatement, vulnPredicate, vulnResult } from './predicates.js';
export type { MappedRepository, PromotionMap } from './promotion-map.js';
export {
  loadPromotionMap,
  locateRepository,
  PROMOTION_ORDER,
  parsePromotionMap,
  SHIPPED_PROMOTION_MAP,
  serviceRepository,
} from './promotion-map.js';
export type { SignedImage } from './sign-image.js';
export { imageDescriptor, signImage } from './sign-image.js';
