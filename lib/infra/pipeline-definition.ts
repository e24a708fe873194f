import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import {
  compilePipeline,
  definitionSizeWarning,
  type StateMachineDefinition,
} from '../../statemachines/index.js';
import { formatDiagnostic } from '../pipeline/index.js';
import { analyzePipeline, type EnvName, type Plan } from '../plan/index.js';
import { InfraConfigError } from './errors.js';

export interface CompiledPipeline {
  readonly file: string;
  readonly plan: Plan;
  /** Exactly what `mc render FILE --env ENV` prints. */
  readonly definition: StateMachineDefinition;
}

/** Plans and compiles a pipeline file for one environment, as `mc render` does; errors stop the synth. */
export function compileForEnvironment(file: string, env: EnvName, baseDir: string): CompiledPipeline {
  const display = relative(baseDir, file) || file;
  const analysis = analyzePipeline(display, readFileSync(file, 'utf8'), { env });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (!analysis.plan || errors.length) {
    throw new InfraConfigError(
      'BAD_PIPELINE',
      `${display} does not compile for ${env}:\n${errors.map((d) => formatDiagnostic(d)).join('\n')}`,
    );
  }
  const definition = compilePipeline(analysis.plan);
  const tooLarge = definitionSizeWarning(definition);
  if (tooLarge) throw new InfraConfigError('BAD_PIPELINE', `${display} (${env}): ${tooLarge}`);
  return { file: display, plan: analysis.plan, definition };
}
