// `npm run bench`: prints figures; it is a benchmark, never a pass/fail test.
import { benchValidatePlan } from './validate-plan.js';

const benches: [string, () => string][] = [['validate-plan', benchValidatePlan]];
const only = process.argv[2];
for (const [name, run] of benches) {
  if (only && name !== only) continue;
  console.log(`${run()}\n`);
}
