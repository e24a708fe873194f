export {
  createEnvironment,
  EXPRESSION_VARIABLES,
  type ExpressionVariable,
  type HashFiles,
  RUNTIME_FUNCTIONS,
  RUNTIME_VARIABLES,
} from './environment.js';
export { ExpressionError, type ExpressionErrorCode } from './errors.js';
export { type CompiledExpression, compileExpression, evaluateExpression, needsRun } from './expression.js';
export {
  conditionSource,
  hasTemplate,
  type Interpolated,
  interpolate,
  templateExpressions,
} from './template.js';
export { fromCel, toCel, toText } from './values.js';
