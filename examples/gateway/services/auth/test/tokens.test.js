import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAuth } from '../src/server.js';
import { parseTokens, verifyAuthorization } from '../src/tokens.js';

test('parses a comma-separated token list, ignoring blanks', () => {
  assert.deepEqual(parseTokens(' abc, ,def '), ['abc', 'def']);
  assert.deepEqual(parseTokens(), []);
});

test('accepts only "Bearer <allowed token>"', () => {
  const tokens = ['s3cret'];
  assert.equal(verifyAuthorization('Bearer s3cret', tokens), true);
  assert.equal(verifyAuthorization('Bearer s3cre', tokens), false);
  assert.equal(verifyAuthorization('s3cret', tokens), false);
  assert.equal(verifyAuthorization(undefined, tokens), false);
  assert.equal(verifyAuthorization('Bearer s3cret', []), false);
});

test('serves /verify over HTTP', async (t) => {
  const server = createAuth(['s3cret']).listen(0, '127.0.0.1');
  t.after(() => server.close());
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  assert.equal((await fetch(`${base}/verify`, { headers: { authorization: 'Bearer s3cret' } })).status, 200);
  assert.equal((await fetch(`${base}/verify`, { headers: { authorization: 'Bearer nope' } })).status, 401);
  assert.equal((await fetch(`${base}/health`)).status, 200);
});
