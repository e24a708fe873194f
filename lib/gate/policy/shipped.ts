import { readFileSync } from 'node:fs';
import { packagePath } from '../../paths/index.js';
import { type Policy, parsePolicy } from './policy.js';

let shipped: Policy | undefined;

/** The supply-chain policy shipped with mc, read and compiled once per process (a warm Lambda keeps it). */
export function shippedPolicy(): Policy {
  shipped ??= parsePolicy(
    readFileSync(packagePath('policy', 'supplychain.yaml'), 'utf8'),
    'policy/supplychain.yaml',
  );
  return shipped;
}
