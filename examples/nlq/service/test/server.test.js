import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../src/server.js';

test('answers questions over HTTP', async (t) => {
  const server = createApp().listen(0, '127.0.0.1');
  t.after(() => server.close());
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const ask = (q) => fetch(`${base}/query?q=${encodeURIComponent(q)}`);

  const answer = await ask('how many orders over 100 in March');
  assert.equal(answer.status, 200);
  assert.deepEqual((await answer.json()).query.period, { month: 3 });
  assert.equal((await ask('what is the weather')).status, 422);
  assert.equal((await fetch(`${base}/query`)).status, 400);
  assert.equal((await ask('orders '.repeat(100))).status, 400);
  assert.equal((await fetch(`${base}/nowhere`)).status, 404);
  assert.equal((await fetch(`${base}/health`)).status, 200);
});
