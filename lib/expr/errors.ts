import { McError } from '../errors/index.js';

export type ExpressionErrorCode = 'SYNTAX' | 'TYPE' | 'EVALUATION';

/** An expression that does not parse, type-check or evaluate; the message is the CEL library's first line. */
export class ExpressionError extends McError<ExpressionErrorCode> {}
