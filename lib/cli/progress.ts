import type { RunEvent } from '../local/index.js';
import type { CliIO } from './io.js';

const MARK: Record<string, string> = { SUCCEEDED: '✓', FAILED: '✗', CANCELLED: '■', SKIPPED: '↷' };

/**
 * Progress on stderr. On a terminal, finished nodes scroll up as lines and the running ones stay
 * below with their elapsed time; elsewhere (CI logs, files) one line per state change.
 */
export class Progress {
  private readonly running = new Map<string, { attempt: number; since: number }>();
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly io: CliIO,
    private readonly live = io.stderrIsTTY === true,
  ) {
    if (this.live) this.timer = setInterval(() => this.redraw(), 500);
  }

  readonly observe = (event: RunEvent): void => {
    const time = event.at.toISOString().slice(11, 19);
    switch (event.kind) {
      case 'started':
        this.running.set(event.node, { attempt: event.attempt, since: event.at.getTime() });
        if (!this.live)
          this.line(`${time} ▶ ${event.node}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`);
        break;
      case 'ended': {
        const started = this.running.get(event.node)?.since ?? event.at.getTime();
        this.running.delete(event.node);
        const took = ((event.at.getTime() - started) / 1000).toFixed(1);
        this.line(
          `${time} ${MARK[event.status] ?? '•'} ${event.node} ${event.status.toLowerCase()} in ${took}s${event.detail ? `: ${event.detail}` : ''}`,
        );
        for (const text of event.logTail ?? []) this.line(`  | ${text}`);
        break;
      }
      case 'settled':
        this.line(
          `${time} ${MARK[event.status] ?? '•'} ${event.node} ${event.status.toLowerCase()}${event.detail ? `: ${event.detail}` : ''}`,
        );
        break;
      case 'would-run':
        this.line(`${time} would run ${event.node}: ${event.command}`);
        break;
    }
    this.redraw();
  };

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
  }

  private line(text: string): void {
    this.clear();
    this.io.stderr(`${text}\n`);
  }

  private clear(): void {
    if (!this.live || this.drawn === 0) return;
    this.io.stderr(`\x1b[${this.drawn}A\x1b[0J`);
    this.drawn = 0;
  }

  private redraw(): void {
    if (!this.live) return;
    this.clear();
    const now = Date.now();
    const lines = [...this.running].map(
      ([node, r]) =>
        `  … ${node}${r.attempt > 1 ? ` (attempt ${r.attempt})` : ''} ${((now - r.since) / 1000).toFixed(0)}s`,
    );
    if (lines.length) this.io.stderr(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }
}
