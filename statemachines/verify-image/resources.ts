// What the verify-image machine calls: the image functions (by name) and EventBridge.

/** The image verification functions, by role. The names are the deployed function names. */
export const IMAGE_FUNCTIONS = {
  verifyImage: 'mc-verify-image',
  promoteImage: 'mc-promote-image',
} as const;

export type ImageFunction = keyof typeof IMAGE_FUNCTIONS;

/** The `source` of every event mc puts on the bus. */
export const EVENT_SOURCE = 'maestro-conductor';

/** The detail types mc announces image decisions with. */
export const IMAGE_EVENTS = {
  verified: 'MC Image Verified',
  rejected: 'MC Image Rejected',
  promoted: 'MC Image Promoted',
  promotionBlocked: 'MC Image Promotion Blocked',
  promotionFailed: 'MC Image Promotion Failed',
} as const;

export const PUT_EVENTS = 'arn:aws:states:::events:putEvents';
