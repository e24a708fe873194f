import { didYouMean } from '../suggest/index.js';
import type { Diagnostic } from './diagnostic.js';
import { joinPointer, splitPointer } from './pointer.js';
import type { SchemaError } from './schema.js';
import type { SourceDocument } from './source.js';

interface SchemaNode {
  description?: string;
  properties?: Record<string, unknown>;
  enum?: unknown[];
}

/**
 * Turns ajv's errors into one diagnostic per real problem: branch errors of a failed anyOf and
 * the "must match then schema" echoes of if/then are folded into the error that explains them.
 */
export function schemaDiagnostics(errors: readonly SchemaError[], source: SourceDocument): Diagnostic[] {
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath);
  const explainedByAnyOf = (e: SchemaError) =>
    e.keyword !== 'anyOf' &&
    anyOfPaths.some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`));
  const kept = errors.filter((e) => e.keyword !== 'if' && !explainedByAnyOf(e));
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const error of kept) {
    const { pointer, message, key } = describe(error);
    const id = `${pointer}\u0000${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    diagnostics.push(source.diagnostic('error', pointer, message, { key }));
  }
  return diagnostics;
}

function describe(error: SchemaError): { pointer: string; message: string; key?: boolean } {
  const pointer = error.instancePath;
  const field = fieldName(pointer);
  const parent = (error.parentSchema ?? {}) as SchemaNode;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const known = Object.keys(parent.properties ?? {});
      return {
        pointer: joinPointer(pointer, name),
        key: true,
        message: `unknown field "${name}" in ${field}${didYouMean(name, known)}`,
      };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      if (error.schemaPath.includes('/then/'))
        return { pointer, message: requiredByType(field, missing, error) };
      return { pointer, message: `${field} is missing the required field "${missing}"` };
    }
    case 'type':
      return {
        pointer,
        message: `${field} must be ${typeList(String(params.type))}, got ${kindOf(error.data)}`,
      };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      return {
        pointer,
        message: `${field} is ${show(error.data)}, expected one of ${allowed.join(', ')}${didYouMean(String(error.data), allowed)}`,
      };
    }
    case 'const':
      return { pointer, message: `${field} is ${show(error.data)}, expected ${show(params.allowedValue)}` };
    case 'pattern':
      return {
        pointer,
        message: `${field} is ${show(error.data)}: ${parent.description ?? `expected to match ${String(params.pattern)}`}`,
      };
    case 'minimum':
    case 'maximum':
      return {
        pointer,
        message: `${field} is ${show(error.data)}, must be ${params.comparison} ${params.limit}`,
      };
    case 'minItems':
      return {
        pointer,
        message: `${field} needs at least ${params.limit} item${params.limit === 1 ? '' : 's'}`,
      };
    case 'minLength':
      return { pointer, message: `${field} must not be empty` };
    case 'uniqueItems':
      return {
        pointer,
        message: `${field} lists ${show((error.data as unknown[])[Number(params.i)])} twice`,
      };
    case 'anyOf':
      return {
        pointer,
        message: `${field} is ${kindOf(error.data)} ${show(error.data)}: ${parent.description ?? 'no allowed form matches'}`,
      };
    default:
      return { pointer, message: `${field} ${error.message ?? 'is invalid'}` };
  }
}

function requiredByType(field: string, missing: string, error: SchemaError): string {
  const data = error.data as Record<string, unknown>;
  if (typeof data.type === 'string') return `${field} of type ${data.type} needs "${missing}"`;
  return `${field} needs "${missing}": a step without an action, or with action run, runs a command`;
}

/** A readable path such as spec.stages[2].steps[0] for the value at a JSON Pointer. */
export function fieldName(pointer: string): string {
  const segments = splitPointer(pointer);
  if (segments.length === 0) return 'the document';
  return segments.reduce((text, s) => (/^\d+$/.test(s) ? `${text}[${s}]` : text ? `${text}.${s}` : s), '');
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'number' && Number.isInteger(value)) return 'an integer';
  return article(typeof value);
}

function typeList(types: string): string {
  const names = types.split(',').map((t) => (t === 'array' ? 'list' : t === 'object' ? 'map' : t));
  const last = names.pop() ?? '';
  return article(names.length ? `${names.join(', ')} or ${last}` : last);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
