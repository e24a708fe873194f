import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from '../src/rate-limit.js';

test('lets `limit` requests through per window, then refuses', () => {
  let now = 0;
  const limiter = new RateLimiter({ limit: 2, windowMs: 1000, now: () => now });
  assert.equal(limiter.take('1.2.3.4').allowed, true);
  assert.equal(limiter.take('1.2.3.4').allowed, true);
  assert.deepEqual(limiter.take('1.2.3.4'), { allowed: false, remaining: 0, retryAfterMs: 1000 });
  now = 1000;
  assert.equal(limiter.take('1.2.3.4').allowed, true);
});

test('counts each client on its own', () => {
  const limiter = new RateLimiter({ limit: 1 });
  assert.equal(limiter.take('a').allowed, true);
  assert.equal(limiter.take('b').allowed, true);
  assert.equal(limiter.take('a').allowed, false);
});

test('refuses a nonsensical limit', () => {
  assert.throws(() => new RateLimiter({ limit: 0 }), /limit/);
});
