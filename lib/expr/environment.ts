import { Environment, type ParseResult } from '@marcbachmann/cel-js';
import { ExpressionError } from './errors.js';

/** The variables every pipeline expression may use (GitHub-style names). */
export const EXPRESSION_VARIABLES = {
  matrix: 'map',
  item: 'dyn',
  services: 'list',
  registry: 'string',
  github: 'map',
  env: 'map',
  profile: 'string',
} as const;

export type ExpressionVariable = keyof typeof EXPRESSION_VARIABLES;

/** Variables known only once a run starts; expressions using them are left for the run. */
export const RUNTIME_VARIABLES: ReadonlySet<string> = new Set(['github']);
/** Functions that read the workspace; expressions calling them are left for the run. */
export const RUNTIME_FUNCTIONS: ReadonlySet<string> = new Set(['hashFiles']);

export type HashFiles = (patterns: readonly string[]) => string;

const notAtPlanTime: HashFiles = () => {
  throw new ExpressionError(
    'EVALUATION',
    'hashFiles() reads the workspace and is evaluated when the run starts',
  );
};

/**
 * A CEL environment with the pipeline variables and `hashFiles(pattern, ...)`. The core hands in
 * the file hashing (an adapter); without it, hashFiles cannot be evaluated.
 */
export function createEnvironment(hashFiles: HashFiles = notAtPlanTime): Environment {
  const env = new Environment({
    homogeneousAggregateLiterals: false,
    limits: { maxAstNodes: 2000, maxDepth: 50 },
  });
  for (const [name, type] of Object.entries(EXPRESSION_VARIABLES)) env.registerVariable(name, type);
  env.registerFunction('hashFiles(string): string', (a: string) => hashFiles([a]));
  env.registerFunction('hashFiles(string, string): string', (a: string, b: string) => hashFiles([a, b]));
  env.registerFunction('hashFiles(string, string, string): string', (a: string, b: string, c: string) =>
    hashFiles([a, b, c]),
  );
  return env;
}

let shared: Environment | undefined;
/** The environment used for checking and plan-time evaluation. */
export function planEnvironment(): Environment {
  shared ??= createEnvironment();
  return shared;
}

export type { ParseResult };
