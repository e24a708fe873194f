import { describe, expect, it } from 'vitest';
import {
  activeFreeze,
  ImageError,
  loadFreezeWindows,
  loadPromotionMap,
  locateRepository,
  parseFreezeWindows,
  parsePromotionMap,
} from '../../lib/images/index.js';

const HEADER = 'apiVersion: policy.maestro.dev/v1\n';

describe('the promotion map', () => {
  it('ships one that reads, placing each repository and naming the next environment', () => {
    const map = loadPromotionMap();
    expect(locateRepository(map, '111111111111.dkr.ecr.eu-west-1.amazonaws.com/mc-dev/api')).toEqual({
      service: 'api',
      env: 'dev',
      next: { env: 'staging', repository: '222222222222.dkr.ecr.eu-west-1.amazonaws.com/mc-staging/api' },
    });
    expect(map.tag).toBe('current');
  });

  it('refuses what is not one, and a repository listed twice, naming the file', () => {
    expect(() =>
      parsePromotionMap(
        `${HEADER}kind: PromotionMap\nmetadata: {name: m}\nservices: {api: {qa: r/x}}\n`,
        'map.yaml',
      ),
    ).toThrow(/map\.yaml: not a PromotionMap: \/services\/api must NOT have additional properties \(qa\)/);
    const twice = `${HEADER}kind: PromotionMap\nmetadata: {name: m}\nservices:\n  api: {dev: r.example/a}\n  web: {staging: r.example/a}\n`;
    expect(() => parsePromotionMap(twice, 'map.yaml')).toThrow(
      /r\.example\/a is listed twice \(api\.dev and web\.staging\)/,
    );
    expect(() => loadPromotionMap('no-such.yaml', '/tmp')).toThrow(ImageError);
  });
});

describe('freeze windows', () => {
  const windows = parseFreezeWindows(
    `${HEADER}kind: FreezeWindows\nwindows:\n  - {name: year-end, from: 2026-12-20T00:00:00Z, to: 2027-01-04T00:00:00Z, applies_to: [prod]}\n`,
    'freeze.yaml',
  );

  it('freeze promotion into the environments they apply to, from inclusive, to exclusive', () => {
    expect(activeFreeze(windows, 'prod', new Date('2026-12-20T00:00:00Z'))?.name).toBe('year-end');
    expect(activeFreeze(windows, 'prod', new Date('2027-01-04T00:00:00Z'))).toBeUndefined();
    expect(activeFreeze(windows, 'staging', new Date('2026-12-24T00:00:00Z'))).toBeUndefined();
    expect(loadFreezeWindows().windows).toEqual([]);
  });

  it('refuse a window that ends before it starts, or a time without a zone', () => {
    expect(() =>
      parseFreezeWindows(
        `${HEADER}kind: FreezeWindows\nwindows: [{name: w, from: 2027-01-02T00:00:00Z, to: 2027-01-01T00:00:00Z, applies_to: [dev]}]\n`,
        'f.yaml',
      ),
    ).toThrow(/window w ends \(2027-01-01T00:00:00Z\) before it starts/);
    expect(() =>
      parseFreezeWindows(
        `${HEADER}kind: FreezeWindows\nwindows: [{name: w, from: "2027-01-01 10:00", to: 2027-01-02T00:00:00Z, applies_to: [dev]}]\n`,
        'f.yaml',
      ),
    ).toThrow(/f\.yaml: not a FreezeWindows: \/windows\/0\/from must match pattern/);
  });
});
