import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AttemptJournalFile, readBegunAttempts } from '../../lib/local/attempt-journal.js';

describe('the attempt journal of a local run', () => {
  it('holds every attempt begun, across resumes, without a line cut short by a dying process', () => {
    const workRoot = join(mkdtempSync(join(tmpdir(), 'mc-journal-')), 'work', 'r');
    const first = new AttemptJournalFile(workRoot);
    first.began({ node: 'a', attempt: 1, at: '2026-01-01T00:00:00.000Z' });
    first.began({ node: 'b', attempt: 1, at: '2026-01-01T00:00:01.000Z' });
    // Read while the run goes on: what began is in the file already.
    expect(readBegunAttempts(workRoot).map((e) => e.node)).toEqual(['a', 'b']);
    first.close();
    const resumed = new AttemptJournalFile(workRoot);
    resumed.began({ node: 'b', attempt: 2, at: '2026-01-01T00:00:02.000Z' });
    resumed.close();
    appendFileSync(join(workRoot, 'attempts.jsonl'), '{"node":"c","att');

    expect(readBegunAttempts(workRoot)).toEqual([
      { node: 'a', attempt: 1, at: '2026-01-01T00:00:00.000Z' },
      { node: 'b', attempt: 1, at: '2026-01-01T00:00:01.000Z' },
      { node: 'b', attempt: 2, at: '2026-01-01T00:00:02.000Z' },
    ]);
    expect(readBegunAttempts(join(workRoot, '..', 'none'))).toEqual([]);
  });
});
