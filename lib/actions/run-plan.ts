import { ActionError } from '../contract/index.js';
import { EVIDENCE } from '../evidence/index.js';
import type { Plan } from '../plan/index.js';
import type { RunDeps } from '../run/index.js';

/** The run's plan, as its evidence keeps it (`plan.json`); an action cannot work without it. */
export async function runPlan(deps: RunDeps, prefix: string): Promise<Plan> {
  const plan = await deps.evidence.getJson<Plan>(`${prefix}${EVIDENCE.plan}`);
  if (!plan) throw new ActionError('INVALID_INPUT', `no plan.json under ${prefix}`);
  return plan;
}
