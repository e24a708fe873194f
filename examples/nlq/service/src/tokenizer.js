// Splits a question into lower-case word and number tokens.
// "Orders over $1,000?" → [word orders] [word over] [number 1000]
const TOKEN = /\$?\d[\d,]*(?:\.\d+)?|[a-z]+/g;

export function tokenize(text) {
  return [...String(text).toLowerCase().matchAll(TOKEN)].map(([raw]) =>
    /\d/.test(raw[0]) || raw[0] === '$'
      ? { type: 'number', value: Number(raw.replace(/[$,]/g, '')) }
      : { type: 'word', value: raw },
  );
}
