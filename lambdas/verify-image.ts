import { type AdmissionDeps, verifyPush } from '../lib/admission/index.js';
import { ActionError, parsePayload } from '../lib/contract/index.js';
import { ImageError } from '../lib/images/index.js';
import { admissionDeps } from './support/admission-deps.js';

/** `Verify pushed image`: an ECR push event in, the decision out (recorded once per event and digest). */
export const createHandler = (deps: () => AdmissionDeps) => async (event: unknown) => {
  const payload = parsePayload<{ event: unknown; execution: string }>('verifyImage', event);
  try {
    return await verifyPush(deps(), payload);
  } catch (error) {
    if (error instanceof ImageError) throw new ActionError('INVALID_INPUT', error.message, { cause: error });
    throw error;
  }
};

export const handler = createHandler(admissionDeps);
