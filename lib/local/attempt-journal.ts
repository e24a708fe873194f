import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { AttemptJournal, BegunAttempt } from '../state/index.js';

/** The journal of a run's attempts, in its work directory (`.mc/work/<runId>/`). */
const JOURNAL_FILE = 'attempts.jsonl';

/**
 * The attempts a local run begins, one JSON line each, written before anything of the attempt
 * runs. A write reaches the file before it returns, so the line outlives the process (a kill -9,
 * a crash) even when DynamoDB has not stored the count yet; a resume taking the run over records
 * what is here (readBegunAttempts).
 */
export class AttemptJournalFile implements AttemptJournal {
  private readonly fd: number;

  constructor(workRoot: string) {
    mkdirSync(workRoot, { recursive: true });
    this.fd = openSync(join(workRoot, JOURNAL_FILE), 'a');
  }

  began(attempt: BegunAttempt): void {
    writeSync(this.fd, `${JSON.stringify(attempt)}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** What a run's journal holds; a line cut short by the end of the process is left out. */
export function readBegunAttempts(workRoot: string): BegunAttempt[] {
  let text: string;
  try {
    text = readFileSync(join(workRoot, JOURNAL_FILE), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    try {
      const entry = JSON.parse(line) as Partial<BegunAttempt>;
      return typeof entry.node === 'string' && Number.isInteger(entry.attempt) && typeof entry.at === 'string'
        ? [entry as BegunAttempt]
        : [];
    } catch {
      return [];
    }
  });
}
