import type { StateMachineDefinition } from '../../statemachines/asl/types.js';
import type { Plan } from '../plan/index.js';
import type { EvidenceStore } from './evidence-store.js';
import { EVIDENCE } from './keys.js';

/** What a run is started from: the pipeline file as read, its plan and the compiled machine. */
export interface RunOpening {
  readonly text: string;
  readonly plan: Plan;
  readonly definition: StateMachineDefinition;
}

/**
 * Writes a run's opening evidence under its prefix, each key once: `pipeline.yaml`, `plan.json`
 * (what the stage runner, run-finish and the actions read back) and `statemachine.asl.json`.
 * Both engines call it before the run starts: `mc run` locally, `mc run --remote` before
 * StartExecution. Returns the keys.
 */
export async function writeRunOpening(
  evidence: Pick<EvidenceStore, 'putOnce' | 'putJsonOnce'>,
  prefix: string,
  opening: RunOpening,
): Promise<string[]> {
  const keys = [EVIDENCE.pipeline, EVIDENCE.plan, EVIDENCE.stateMachine].map((name) => `${prefix}${name}`);
  await evidence.putOnce(keys[0], opening.text, 'application/yaml');
  await evidence.putJsonOnce(keys[1], opening.plan);
  await evidence.putJsonOnce(keys[2], opening.definition);
  return keys;
}
