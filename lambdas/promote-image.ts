import { type AdmissionDeps, type PromotionRequest, promoteVerified } from '../lib/admission/index.js';
import { ActionError, parsePayload } from '../lib/contract/index.js';
import { ImageError } from '../lib/images/index.js';
import { admissionDeps } from './support/admission-deps.js';

/** `Promote image`: copies a verified image into the next environment, unless a freeze or the kill switch blocks it. */
export const createHandler = (deps: () => AdmissionDeps) => async (event: unknown) => {
  const request = parsePayload<PromotionRequest>('promoteImage', event);
  try {
    const { outcome, detail } = await promoteVerified(deps(), request);
    return { outcome, detail };
  } catch (error) {
    if (error instanceof ImageError) throw new ActionError('INVALID_INPUT', error.message, { cause: error });
    throw error;
  }
};

export const handler = createHandler(admissionDeps);
