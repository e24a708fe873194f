import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evidenceLocation } from '../../lib/contract/index.js';
import { openLocalBackend } from '../../lib/local/index.js';

describe('the embedded backend of a project', () => {
  it('is hosted by one process; others connect through the endpoint file and see the same data', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mc-home-'));
    const host = await openLocalBackend(home);
    try {
      expect(host.hosting).toBe(true);
      expect(existsSync(join(home, 'endpoint.json'))).toBe(true);
      const guest = await openLocalBackend(home);
      expect(guest.hosting).toBe(false);
      expect(guest.endpoints).toEqual(host.endpoints);
      await host.evidence.putOnce('shared', 'yes');
      expect(await guest.evidence.getText('shared')).toBe('yes');
      await guest.close();
    } finally {
      await host.close();
    }
    expect(existsSync(join(home, 'endpoint.json'))).toBe(false);
  });

  it('keeps its data under the home across restarts', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mc-home-'));
    const first = await openLocalBackend(home);
    const record = {
      runId: 'kept',
      pipeline: 'p',
      env: 'dev',
      status: 'RUNNING' as const,
      startedAt: 'now',
      github: {},
      evidence: evidenceLocation('b', 'p', 'kept'),
      resumes: 0,
    };
    await first.state.createRun(record);
    await first.evidence.putOnce('kept.txt', 'still here');
    await first.close();
    const second = await openLocalBackend(home);
    try {
      expect((await second.state.getRun('kept'))?.pipeline).toBe('p');
      expect(await second.evidence.getText('kept.txt')).toBe('still here');
    } finally {
      await second.close();
    }
  });
});

describe('when the host finishes first', () => {
  it('keeps serving the processes still connected, then stops', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mc-home-'));
    const host = await openLocalBackend(home);
    const guest = await openLocalBackend(home);
    const closing = host.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await guest.evidence.putOnce('still', 'served')).toBe(true);
    expect(existsSync(join(home, 'endpoint.json'))).toBe(false);
    await guest.close();
    await closing;
  });
});
