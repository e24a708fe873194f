/** What a command may touch of the outside world; tests hand in their own. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stderr is a terminal (live progress) or a log (one line per change). */
  readonly stderrIsTTY?: boolean;
  /** Registers what Ctrl-C does; returns the function that unregisters it. */
  readonly onInterrupt?: (handler: () => void) => () => void;
}

export function processIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    stderrIsTTY: process.stderr.isTTY === true,
    onInterrupt: (handler) => {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}

export function printJson(io: CliIO, document: unknown): void {
  io.stdout(`${JSON.stringify(document, null, 2)}\n`);
}

/** Exit codes every command keeps: scripts rely on them. */
export const EXIT = { ok: 0, failed: 1, usage: 2, aborted: 130 } as const;

/** `1 finding`, `2 findings`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
