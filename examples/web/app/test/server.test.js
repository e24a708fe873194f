import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../src/server.js';

test('serves the page, the client script and a health check', async (t) => {
  const server = createApp({ title: 'Demo', items: ['alpha'] }).listen(0, '127.0.0.1');
  t.after(() => server.close());
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;

  const page = await fetch(`${base}/`);
  assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(page.headers.get('content-security-policy'), "default-src 'self'");
  assert.match(await page.text(), /<li>alpha<\/li>/);

  const script = await fetch(`${base}/app.js`);
  assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.match(await script.text(), /addEventListener\('input'/);

  assert.deepEqual(await (await fetch(`${base}/health`)).json(), { status: 'ok' });
  assert.equal((await fetch(`${base}/missing`)).status, 404);
  assert.equal((await fetch(`${base}/`, { method: 'POST' })).status, 405);
});
