export type { SbomErrorCode } from './errors.js';
export { SbomError } from './errors.js';
export type { NpmSbomOptions } from './npm/bom.js';
export type { GeneratedSbom } from './npm/generate.js';
export { generateNpmSbom } from './npm/generate.js';
export { readSbom } from './read/read.js';
export type { NormalizedSbom, SbomComponent, SbomFormat, SbomValidation } from './sbom.js';
export { validateSbom } from './validate/validate.js';
