import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import type { Diagnostic, Severity } from './diagnostic.js';
import { joinPointer, splitPointer } from './pointer.js';

/** Files above this size are refused before parsing: a pipeline is text a person maintains. */
export const MAX_SOURCE_BYTES = 2 * 1024 * 1024;
/** Alias uses allowed per document (more is treated as an alias bomb). */
export const MAX_ALIAS_COUNT = 100;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A parsed YAML document that can locate any JSON Pointer in the text it came from. */
export class SourceDocument {
  constructor(
    readonly file: string,
    private readonly root: Node | null,
    private readonly lines: LineCounter,
  ) {}

  /**
   * Position of the value at `pointer`, or of its key when `key` is set. Falls back to the
   * closest existing ancestor, so a missing field is reported where it should have been.
   */
  locate(pointer: string, options: { key?: boolean } = {}): Position {
    let node: unknown = this.root;
    let keyNode: unknown;
    for (const segment of splitPointer(pointer)) {
      const child = childOf(node, segment);
      if (!child) break;
      node = child.value;
      keyNode = child.key;
    }
    const target = options.key && keyNode ? keyNode : node;
    return this.position(target);
  }

  diagnostic(
    severity: Severity,
    pointer: string,
    message: string,
    options: { key?: boolean } = {},
  ): Diagnostic {
    const { line, column } = this.locate(pointer, options);
    return { severity, file: this.file, line, column, pointer, message };
  }

  private position(node: unknown): Position {
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    const { line, col } = this.lines.linePos(range ? range[0] : 0);
    return { line: Math.max(line, 1), column: Math.max(col, 1) };
  }
}

function childOf(node: unknown, segment: string): { key?: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
    return pair ? { key: pair.key, value: pair.value ?? pair.key } : undefined;
  }
  if (isSeq(node)) {
    const item = node.items[Number(segment)];
    return item ? { value: item } : undefined;
  }
  return undefined;
}

export interface ParsedSource {
  readonly source: SourceDocument;
  /** The document as plain data, or undefined when it could not be read. */
  readonly value: unknown;
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses YAML text defensively: size limit, one document, unique keys, bounded aliases,
 * no prototype-polluting keys. Never throws; every problem becomes a diagnostic.
 */
export function parseSource(file: string, text: string): ParsedSource {
  const lines = new LineCounter();
  const empty = new SourceDocument(file, null, lines);
  const at = (offset: number, message: string, severity: Severity = 'error'): Diagnostic => {
    const { line, col } = lines.linePos(offset);
    return { severity, file, line: Math.max(line, 1), column: Math.max(col, 1), pointer: '', message };
  };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SOURCE_BYTES) {
    const diagnostic = at(
      0,
      `file is ${bytes.toLocaleString('en')} bytes; a pipeline may be at most ${MAX_SOURCE_BYTES / 1024 / 1024} MiB`,
    );
    return { source: empty, value: undefined, diagnostics: [diagnostic] };
  }
  try {
    const docs = parseAllDocuments(text, {
      lineCounter: lines,
      uniqueKeys: true,
      prettyErrors: false,
      strict: true,
    });
    const list = Array.isArray(docs) ? docs : [];
    if (list.length === 0) return { source: empty, value: undefined, diagnostics: [at(0, 'file is empty')] };
    const [doc, ...rest] = list;
    const source = new SourceDocument(file, doc.contents, lines);
    const diagnostics = [
      ...doc.errors.map((e) => at(e.pos[0], `YAML: ${firstLine(e.message)}`)),
      ...doc.warnings.map((w) => at(w.pos[0], `YAML: ${firstLine(w.message)}`, 'warning')),
      ...rest
        .slice(0, 1)
        .map((d) => at(d.range[0], 'expected one YAML document, found more (remove the "---")')),
    ];
    if (diagnostics.some((d) => d.severity === 'error')) return { source, value: undefined, diagnostics };
    diagnostics.push(...checkKeys(doc.contents, '', source));
    if (diagnostics.some((d) => d.severity === 'error')) return { source, value: undefined, diagnostics };
    // The YAML library refuses at its limit; ours is inclusive.
    const value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT + 1 });
    return { source, value, diagnostics };
  } catch (error) {
    // The YAML library throws on alias bombs and on pathological nesting; report, never crash.
    const reason =
      error instanceof RangeError ? 'the document is nested too deeply' : firstLine(String(error));
    return { source: empty, value: undefined, diagnostics: [at(0, `YAML: ${reason}`)] };
  }
}

// Keys must be plain scalars, and never names that reach Object.prototype.
function checkKeys(node: unknown, pointer: string, source: SourceDocument): Diagnostic[] {
  const found: Diagnostic[] = [];
  const visit = (current: unknown, path: string, depth: number): void => {
    if (depth > 200) {
      found.push(
        source.diagnostic('error', path, 'the document is nested too deeply (more than 200 levels)'),
      );
      return;
    }
    if (isMap(current)) {
      for (const pair of current.items) {
        if (!isPair(pair)) continue;
        if (!isScalar(pair.key)) {
          found.push(
            source.diagnostic('error', path, 'keys must be plain strings, not lists, maps or aliases'),
          );
          continue;
        }
        const key = String(pair.key.value);
        const child = joinPointer(path, key);
        if (FORBIDDEN_KEYS.has(key)) {
          found.push(source.diagnostic('error', child, `the key "${key}" is not allowed`, { key: true }));
        }
        visit(pair.value, child, depth + 1);
      }
    } else if (isSeq(current)) {
      current.items.forEach((item, index) => {
        visit(item, joinPointer(path, index), depth + 1);
      });
    }
  };
  visit(node, pointer, 0);
  return found;
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}
