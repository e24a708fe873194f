// A bundle entry for test/infra/bundles.test.ts: SBOM validation as the deployed functions run it.
import { validateSbom } from '../../../lib/sbom/index.js';

export const validate = (text: string) => validateSbom(text, 'sbom.json');
