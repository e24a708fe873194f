import { joinPointer } from './pointer.js';

/** Calls `visit` for every string in `value` with its JSON Pointer. */
export function forEachString(
  value: unknown,
  visit: (text: string, pointer: string) => void,
  pointer = '',
): void {
  if (typeof value === 'string') {
    visit(value, pointer);
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) forEachString(v, visit, joinPointer(pointer, i));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) forEachString(v, visit, joinPointer(pointer, k));
  }
}
