import { McError } from '../../errors/index.js';

export class PolicyError extends McError<'BAD_POLICY' | 'BAD_TEST'> {}
