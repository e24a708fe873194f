import { WaiverError } from './errors.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** The default longest life of a waiver: 30 days. */
export const DEFAULT_MAX_TTL_SECONDS = 30 * 86_400;

/** `7d`, `12h`, `1w2d`, `90m`, `3600s` → seconds; anything else is an error. */
export function parseTtl(text: string): number {
  const parts = [...text.matchAll(/(\d+)([smhdw])/g)];
  if (!text || parts.map((p) => p[0]).join('') !== text)
    throw new WaiverError(
      'BAD_TTL',
      `"${text}" is not a duration; use a number with s, m, h, d or w (e.g. 7d, 12h)`,
    );
  const seconds = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNITS[unit], 0);
  if (seconds <= 0) throw new WaiverError('BAD_TTL', `a waiver must live longer than ${text}`);
  return seconds;
}

/** Refuses (never clamps) a life longer than the maximum. */
export function checkTtl(seconds: number, maxSeconds: number, what: string): void {
  if (seconds > maxSeconds)
    throw new WaiverError(
      'TTL_TOO_LONG',
      `${what} would last ${formatSeconds(seconds)}, longer than the maximum of ${formatSeconds(maxSeconds)}; ask for a shorter waiver and renew it if still needed`,
    );
}

export function formatSeconds(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
