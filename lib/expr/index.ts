export type { ExpressionVariable, HashFiles } from './environment.js';
export {
  createEnvironment,
  EXPRESSION_VARIABLES,
  RUNTIME_FUNCTIONS,
  RUNTIME_VARIABLES,
} from './environment.js';
export type { ExpressionErrorCode } from './errors.js';
export { ExpressionError } from './errors.js';
export type { CompiledExpression } from './expression.js';
export { compileExpression, evaluateExpression, needsRun } from './expression.js';
export type { Interpolated } from './template.js';
export { conditionSource, interpolate, renderAtRun, templateExpressions } from './template.js';
export { fromCel, toCel, toText } from './values.js';
