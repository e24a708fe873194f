// The deployed `mc-verify-image`: the unchanged handler, instrumented. Each decision counts once
// (verified, rejected, or not verifiable: the registry did not answer).
import type { VerifyOutcome } from '../../lib/admission/index.js';
import { ERROR_NAMES } from '../../lib/contract/index.js';
import { admissionDeps } from '../support/admission-deps.js';
import { count, instrumented } from '../support/powertools.js';
import { createHandler } from '../verify-image.js';

export const handler = instrumented(
  'mc-verify-image',
  createHandler(admissionDeps),
  (metrics, { result, error }) => {
    if (error?.name === ERROR_NAMES.registryUnreachable) count(metrics, 'ImageUnverifiable');
    const outcome = (result as VerifyOutcome | undefined)?.outcome;
    if (outcome === 'verified') count(metrics, 'ImageVerified');
    if (outcome === 'rejected') count(metrics, 'ImageRejected');
  },
);
