import { ActionError } from '../contract/index.js';
import { RegistryError } from '../registry/index.js';

/**
 * A registry that did not answer becomes MC.RegistryUnreachable, which the verify-image machine
 * retries with backoff; every other error passes unchanged.
 */
export async function retryableRegistry<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RegistryError && error.code === 'UNREACHABLE')
      throw new ActionError('REGISTRY_UNREACHABLE', error.message, { cause: error });
    throw error;
  }
}
