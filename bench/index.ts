// `npm run bench`: prints figures; it is a benchmark, never a pass/fail test.
import { benchBundles } from './bundles.js';
import { benchGate } from './gate.js';
import { benchImages } from './images.js';
import { benchCompile, benchLocalEngine } from './local-engine.js';
import { benchValidatePlan } from './validate-plan.js';
import { benchVerify } from './verify.js';

const benches: [string, () => string | Promise<string>][] = [
  ['validate-plan', benchValidatePlan],
  ['compile', benchCompile],
  ['gate', benchGate],
  ['verify', benchVerify],
  ['images', benchImages],
  ['local-engine', benchLocalEngine],
  ['bundles', benchBundles],
];
const only = process.argv[2];
for (const [name, run] of benches) {
  if (only && name !== only) continue;
  console.log(`${await run()}\n`);
}
