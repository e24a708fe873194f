import { McError } from '../errors/index.js';
import { type Policy, parsePolicy, shippedPolicy } from '../gate/index.js';
import { UsageError } from './errors.js';
import { readInputFile } from './files.js';

/** The policy named by --policy, or the one shipped with mc (policy/supplychain.yaml). */
export function loadPolicy(cwd: string, name?: string): Policy {
  if (!name) return shippedPolicy();
  const file = readInputFile(cwd, name);
  return asUsage(() => parsePolicy(file.text, file.display));
}

/** Input files that cannot be read are the command line's fault: exit 2, not a verdict. */
export function asUsage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw usageOf(error);
  }
}

/** asUsage, for reading that is asynchronous. */
export async function asUsageAsync<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw usageOf(error);
  }
}

function usageOf(error: unknown): unknown {
  return error instanceof McError && !(error instanceof UsageError)
    ? new UsageError(error.message, { cause: error })
    : error;
}
