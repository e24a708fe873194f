import { McError } from '../errors/index.js';

export class SigningError extends McError<'BAD_KEY' | 'KMS' | 'KEY_EXISTS' | 'KEYLESS' | 'NO_TOKEN'> {}
