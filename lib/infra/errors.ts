import { McError } from '../errors/index.js';

/** The CDK app's context (cdk.json) or a deployed pipeline does not say what the stack needs. */
export class InfraConfigError extends McError<'BAD_CONTEXT' | 'BAD_PIPELINE'> {}
