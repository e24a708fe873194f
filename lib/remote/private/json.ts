import { isDeepStrictEqual } from 'node:util';

/** Whether a JSON text (as Step Functions returns an input) holds the same value. */
export function sameJson(text: string | undefined, value: unknown): boolean {
  if (text === undefined) return false;
  try {
    return isDeepStrictEqual(JSON.parse(text), JSON.parse(JSON.stringify(value)));
  } catch {
    return false;
  }
}

/** A JSON text parsed, or undefined when it is absent or not JSON. */
export function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
