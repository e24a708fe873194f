import { RegistryError } from '../registry/index.js';

/** `registry-host/repository` as its two parts. */
export function splitImage(image: string): { host: string; repository: string } {
  const slash = image.indexOf('/');
  if (slash <= 0 || slash === image.length - 1)
    throw new RegistryError('BAD_REFERENCE', `${image} is not registry-host/repository`);
  return { host: image.slice(0, slash), repository: image.slice(slash + 1) };
}
