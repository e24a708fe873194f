import { createHash, timingSafeEqual } from 'node:crypto';

// Allowed tokens, from a comma-separated list such as AUTH_TOKENS="abc,def".
export function parseTokens(list = '') {
  return list
    .split(',')
    .map((token) => token.trim())
    .filter(Boolean);
}

// True when `authorization` is "Bearer <token>" for an allowed token. Compares hashes in constant
// time so the answer's timing reveals nothing about how close a guess was.
export function verifyAuthorization(authorization, tokens) {
  const match = /^Bearer ([^\s]+)$/.exec(authorization ?? '');
  if (!match) return false;
  const given = digest(match[1]);
  return tokens.some((token) => timingSafeEqual(given, digest(token)));
}

const digest = (text) => createHash('sha256').update(text).digest();
