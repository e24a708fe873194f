/** A JSON Pointer (`/components/0/bom-ref`) as a JSON path people read (`$.components[0]['bom-ref']`). */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '$';
  return `$${pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map(pathSegment)
    .join('')}`;
}

/** One step of a JSON path: `[3]`, `.name` or `['bom-ref']`. */
export function pathSegment(key: string | number): string {
  if (typeof key === 'number' || /^\d+$/.test(key)) return `[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key).replaceAll('"', "'")}]`;
}
