/** Lenient accessors over parsed JSON: a value of the wrong type reads as absent. */
export type Json = Record<string, unknown>;

export const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
