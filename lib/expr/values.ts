// CEL distinguishes int from double; YAML numbers that are whole become CEL ints.

export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(toCel);
  // A plain loop: gate inputs carry thousands of findings, converted on every decision.
  const converted: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = toCel((value as Record<string, unknown>)[key]);
    // A `__proto__` key from a parsed file stays data, never the object's prototype.
    if (key === '__proto__')
      Object.defineProperty(converted, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else converted[key] = item;
  }
  return converted;
}

export function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCel(v)]));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCel(v)]));
  }
  return value;
}

/** How a value appears when substituted into a string. */
export function toText(value: unknown): string {
  const plain = fromCel(value);
  if (typeof plain === 'string') return plain;
  if (plain === null || plain === undefined) return '';
  if (typeof plain === 'object') return JSON.stringify(plain);
  return String(plain);
}
