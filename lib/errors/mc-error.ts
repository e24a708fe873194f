/**
 * Base of every error Maestro Conductor raises on purpose. `code` is a fixed string union per
 * module, so callers (and the CLI's exit-code mapping) can branch on it without parsing messages.
 */
export class McError<Code extends string = string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
