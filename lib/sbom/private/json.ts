import { SbomError, type SbomErrorCode } from '../errors.js';

/** Lenient accessors over parsed JSON: a value of the wrong type reads as absent. */
export type Json = Record<string, unknown>;

export const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Parses a JSON object, or throws an SbomError naming the file and what was expected:
 * BROKEN_FILE for text that is not JSON, `notObject` for JSON that is not an object.
 */
export function parseJsonObject(
  text: string,
  file: string,
  expected: string,
  notObject: SbomErrorCode = 'BROKEN_FILE',
): Json {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new SbomError(
      'BROKEN_FILE',
      `${file}: not JSON (${(error as Error).message}); expected ${expected}`,
      {
        cause: error,
      },
    );
  }
  if (!isObject(doc))
    throw new SbomError(
      notObject,
      `${file}: JSON ${Array.isArray(doc) ? 'array' : typeof doc} where an object was expected; expected ${expected}`,
    );
  return doc;
}
