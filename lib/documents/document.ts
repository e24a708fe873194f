import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020, type Options, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { packagePath } from '../paths/index.js';

/** What a policy document is, for its messages, and how its errors are raised. */
export interface DocumentKind {
  /** In prose: `trust policy`, `promotion map`. */
  readonly what: string;
  /** Its `kind:`: `TrustPolicy`, `PromotionMap`. */
  readonly kind: string;
  readonly schema: object;
  /** Where the shipped one lives, relative to the package root. */
  readonly shipped: string;
  /** The module's own typed error for a message. */
  readonly fail: (message: string) => Error;
  /** Extra ajv options (e.g. `strictRequired: false`). */
  readonly ajv?: Options;
}

/** A document file as it was read: its path, how it is shown in messages, its text. */
export interface DocumentFile {
  readonly path: string;
  readonly display: string;
  readonly text: string;
}

const validators = new WeakMap<object, ValidateFunction>();

/** Reads a document file, or the shipped one when no path is given. */
export function readDocument(kind: DocumentKind, path: string | undefined, cwd: string): DocumentFile {
  const file = path ? resolve(cwd, path) : packagePath(kind.shipped);
  const display = path ?? `${kind.shipped} (shipped with mc)`;
  try {
    return { path: file, display, text: readFileSync(file, 'utf8') };
  } catch (error) {
    throw kind.fail(`cannot read the ${kind.what} ${display}: ${(error as Error).message}`);
  }
}

/** The YAML text as `T`, checked against the kind's JSON Schema with every problem listed. */
export function parseDocument<T>(kind: DocumentKind, text: string, display: string): T {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw kind.fail(`${display}: not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  let validate = validators.get(kind.schema);
  if (!validate) {
    validate = new Ajv2020({ allErrors: true, strict: true, ...kind.ajv }).compile(kind.schema);
    validators.set(kind.schema, validate);
  }
  if (!validate(doc)) {
    const problems = (validate.errors ?? []).map(
      (e) =>
        `${e.instancePath || '/'} ${e.message}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}`,
    );
    throw kind.fail(`${display}: not a ${kind.kind}: ${problems.join('; ')}`);
  }
  return doc as T;
}
