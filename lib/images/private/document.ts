import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { packagePath } from '../../paths/index.js';
import { ImageError } from '../errors.js';

const validators = new WeakMap<object, ValidateFunction>();

/**
 * A YAML policy document (a file, or the one mc ships when no path is given), checked against its
 * JSON Schema with every problem listed. Errors are BAD_POLICY_FILE, naming the file.
 */
export function loadDocument<T>(
  schema: object,
  kind: string,
  shipped: string,
  path: string | undefined,
  cwd: string,
): { doc: T; file: string } {
  const file = path ? resolve(cwd, path) : packagePath(shipped);
  const display = path ?? `${shipped} (shipped with mc)`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ImageError(
      'BAD_POLICY_FILE',
      `cannot read the ${kind} ${display}: ${(error as Error).message}`,
    );
  }
  return { doc: parseDocument<T>(schema, kind, text, display), file: display };
}

export function parseDocument<T>(schema: object, kind: string, text: string, display: string): T {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new ImageError(
      'BAD_POLICY_FILE',
      `${display}: not YAML: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  let validate = validators.get(schema);
  if (!validate) {
    validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
    validators.set(schema, validate);
  }
  if (!validate(doc)) {
    const problems = (validate.errors ?? []).map(
      (e) =>
        `${e.instancePath || '/'} ${e.message}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}`,
    );
    throw new ImageError('BAD_POLICY_FILE', `${display}: not a ${kind}: ${problems.join('; ')}`);
  }
  return doc as T;
}
