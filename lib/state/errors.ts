import { McError } from '../errors/index.js';

export class StateError extends McError<'RUN_NOT_FOUND' | 'RUN_EXISTS' | 'NOT_RESUMABLE' | 'CONFLICT'> {}
