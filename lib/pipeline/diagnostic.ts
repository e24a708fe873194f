export type Severity = 'error' | 'warning';

/** One finding about a pipeline file, located in its source. Lines and columns start at 1. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** JSON Pointer (RFC 6901) of the value concerned; '' for the whole document. */
  readonly pointer: string;
  readonly message: string;
}

/** `FILE:LINE:COL: message [pointer]`, the one-line form every command prints. */
export function formatDiagnostic(d: Diagnostic): string {
  const prefix = d.severity === 'warning' ? 'warning: ' : '';
  return `${d.file}:${d.line}:${d.column}: ${prefix}${d.message} [${d.pointer || '/'}]`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorted by file, then position, then message, so output is stable. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.message.localeCompare(b.message),
  );
}

/** A diagnostic as `--json` documents list it (its list, errors or warnings, says the severity). */
export function diagnosticEntry(d: Diagnostic): Omit<Diagnostic, 'severity'> {
  return { file: d.file, line: d.line, column: d.column, pointer: d.pointer, message: d.message };
}
