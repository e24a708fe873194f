import { describe, expect, it } from 'vitest';
import {
  addWaiver,
  approveWaiver,
  DEFAULT_MAX_TTL_SECONDS,
  listWaivers,
  parseTtl,
  parseWaiversFile,
  revokeWaiver,
  type WaiverDeps,
  waiverAuditPrefix,
} from '../../lib/gate/index.js';
import { withBackend } from '../support/local-run.js';

const request = {
  vulnerability: 'GHSA-jf85-cpcp-j695',
  component: 'pkg:npm/lodash',
  ttl: '7d',
  reason: 'prototype pollution not reachable: no user input reaches merge()',
  owner: 'ana',
};

describe('waivers in the state table (dynalite)', () => {
  it('adds, approves (never by the owner), lists and revokes, keeping every change as an audit event', async () => {
    await withBackend(async (backend) => {
      let clock = new Date('2026-11-24T12:00:00Z');
      const deps: WaiverDeps = { waivers: backend.waivers, evidence: backend.evidence, now: () => clock };
      const added = await addWaiver(deps, request, DEFAULT_MAX_TTL_SECONDS);
      const { ttl: _ttl, ...named } = request;
      expect(added).toMatchObject({ ...named, expiresAt: '2026-12-01T12:00:00.000Z', origin: 'store' });
      expect(added.id).toMatch(/^w-[0-9a-f]{8}$/);
      expect((await listWaivers(deps, false)).map((w) => w.state)).toEqual(['awaiting approval']);

      await expect(approveWaiver(deps, added.id, 'ana')).rejects.toThrow(
        `ana owns waiver ${added.id}; someone else must approve it`,
      );
      clock = new Date('2026-11-24T13:00:00Z');
      expect(await approveWaiver(deps, added.id, 'ben')).toMatchObject({
        approvedBy: 'ben',
        approvedAt: '2026-11-24T13:00:00.000Z',
      });
      await expect(approveWaiver(deps, added.id, 'cai')).rejects.toThrow(/was approved by ben/);
      expect((await listWaivers(deps, false)).map((w) => w.state)).toEqual(['active']);

      clock = new Date('2026-11-25T09:00:00Z');
      expect(await revokeWaiver(deps, added.id, 'ben')).toMatchObject({ revokedBy: 'ben' });
      await expect(revokeWaiver(deps, added.id, 'ben')).rejects.toThrow(/revoked already/);
      expect(await listWaivers(deps, false)).toEqual([]);
      expect((await listWaivers(deps, true)).map((w) => w.state)).toEqual(['revoked']);
      await expect(approveWaiver(deps, 'w-nope', 'ben')).rejects.toThrow('no waiver w-nope');

      const events = await backend.evidence.list(waiverAuditPrefix(added.id));
      expect(events.map((k) => k.split('-').pop())).toEqual(['added.json', 'approved.json', 'revoked.json']);
      expect(await backend.evidence.getJson(events[1])).toMatchObject({ event: 'approved', by: 'ben' });
    });
  });

  it('refuses a TTL above the maximum instead of shortening it, and malformed requests', async () => {
    await withBackend(async (backend) => {
      const deps: WaiverDeps = {
        waivers: backend.waivers,
        evidence: backend.evidence,
        now: () => new Date(),
      };
      await expect(addWaiver(deps, { ...request, ttl: '31d' }, DEFAULT_MAX_TTL_SECONDS)).rejects.toThrow(
        'a waiver of 31d would last 31d, longer than the maximum of 30d',
      );
      await expect(addWaiver(deps, { ...request, ttl: '1 week' }, DEFAULT_MAX_TTL_SECONDS)).rejects.toThrow(
        /not a duration/,
      );
      await expect(
        addWaiver(deps, { ...request, digest: 'sha256:abc' }, DEFAULT_MAX_TTL_SECONDS),
      ).rejects.toThrow(/either a component/);
      await expect(
        addWaiver(deps, { ...request, component: 'lodash' }, DEFAULT_MAX_TTL_SECONDS),
      ).rejects.toThrow(/package URL/);
      expect(await listWaivers(deps, true)).toEqual([]);
    });
  });
});

describe('waiver TTLs and files', () => {
  it('reads durations', () => {
    expect(parseTtl('7d')).toBe(604_800);
    expect(parseTtl('1w2d')).toBe(777_600);
    expect(parseTtl('90m')).toBe(5400);
    expect(() => parseTtl('7')).toThrow(/not a duration/);
    expect(() => parseTtl('0d')).toThrow(/longer than 0d/);
  });

  it('reads policy/waivers.yaml (digest, reason, created, ttl_ns) and refuses lives over the maximum', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const day = 86_400_000_000_000n;
    const [w] = parseWaiversFile(
      `waivers:\n  - digest: "${digest}"\n    reason: base image CVEs, rebuilt weekly\n    created: "2026-11-20T00:00:00Z"\n    ttl_ns: ${7n * day}\n`,
      'policy/waivers.yaml',
      DEFAULT_MAX_TTL_SECONDS,
    );
    expect(w).toMatchObject({
      id: 'file-1',
      vulnerability: '*',
      digest,
      expiresAt: '2026-11-27T00:00:00.000Z',
      origin: 'file',
    });
    expect(() =>
      parseWaiversFile(
        `- {digest: "${digest}", reason: r, created: "2026-11-20T00:00:00Z", ttl_ns: ${31n * day}}\n`,
        'w.yaml',
        DEFAULT_MAX_TTL_SECONDS,
      ),
    ).toThrow('w.yaml: waivers[0] would last 31d, longer than the maximum of 30d');
    expect(() =>
      parseWaiversFile(
        '- {digest: sha256:zz, reason: r, created: x, ttl_ns: 1}\n',
        'w.yaml',
        DEFAULT_MAX_TTL_SECONDS,
      ),
    ).toThrow('w.yaml: waivers[0]: digest must be sha256:<64 hex digits>, not sha256:zz');
    expect(() =>
      parseWaiversFile(
        '- {reason: r, created: x, ttl_ns: 1, colour: red}\n',
        'w.yaml',
        DEFAULT_MAX_TTL_SECONDS,
      ),
    ).toThrow(/unknown field colour/);
  });
});
