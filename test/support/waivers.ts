import type { Waiver } from '../../lib/gate/index.js';

/** A valid waiver of Log4Shell by ana, for tests to vary. */
export function waiver(overrides: Partial<Waiver> = {}): Waiver {
  return {
    id: 'w-1',
    vulnerability: 'CVE-2021-44228',
    reason: 'JNDI lookups are disabled',
    owner: 'ana',
    createdAt: '2026-11-20T00:00:00.000Z',
    expiresAt: '2026-12-01T00:00:00.000Z',
    origin: 'store',
    ...overrides,
  };
}
