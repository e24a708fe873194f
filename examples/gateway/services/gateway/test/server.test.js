import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { RateLimiter } from '../src/rate-limit.js';
import { createGateway } from '../src/server.js';

// Starts `server` on a free port and closes it when the test ends; resolves to its base URL.
async function listen(t, server) {
  server.listen(0, '127.0.0.1');
  t.after(() => server.close());
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${server.address().port}`;
}

// An upstream that echoes what it received, so tests can see what the gateway forwarded.
const echo = (name) =>
  createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        name,
        method: req.method,
        url: req.url,
        forwardedFor: req.headers['x-forwarded-for'],
      }),
    );
  });

test('proxies /orders/* and /users/* to their upstreams', async (t) => {
  const routes = { '/orders': await listen(t, echo('orders')), '/users': await listen(t, echo('users')) };
  const base = await listen(t, createGateway({ routes }));
  const order = await (await fetch(`${base}/orders/42?expand=items`)).json();
  assert.deepEqual(order, {
    name: 'orders',
    method: 'GET',
    url: '/orders/42?expand=items',
    forwardedFor: '127.0.0.1',
  });
  assert.equal((await (await fetch(`${base}/users`, { method: 'POST', body: '{}' })).json()).name, 'users');
  assert.equal((await fetch(`${base}/billing`)).status, 404);
  assert.deepEqual(await (await fetch(`${base}/health`)).json(), { status: 'ok' });
});

test('answers 429 with retry-after once a client exceeds the limit', async (t) => {
  const routes = { '/orders': await listen(t, echo('orders')), '/users': 'http://127.0.0.1:9' };
  const base = await listen(
    t,
    createGateway({ routes, limiter: new RateLimiter({ limit: 1, windowMs: 30_000 }) }),
  );
  assert.equal((await fetch(`${base}/orders`)).status, 200);
  const limited = await fetch(`${base}/orders`);
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '30');
  assert.equal((await fetch(`${base}/health`)).status, 200, 'health checks are never limited');
});

test('answers 502 when the upstream is down', async (t) => {
  const routes = { '/orders': 'http://127.0.0.1:9', '/users': 'http://127.0.0.1:9' };
  const base = await listen(t, createGateway({ routes }));
  assert.equal((await fetch(`${base}/orders`)).status, 502);
});

test('asks the auth service before proxying when AUTH_URL is set', async (t) => {
  const auth = createServer((req, res) =>
    res.writeHead(req.headers.authorization === 'Bearer good' ? 200 : 401).end(),
  );
  const routes = { '/orders': await listen(t, echo('orders')), '/users': 'http://127.0.0.1:9' };
  const base = await listen(t, createGateway({ routes, authUrl: await listen(t, auth) }));
  assert.equal((await fetch(`${base}/orders`)).status, 401);
  assert.equal((await fetch(`${base}/orders`, { headers: { authorization: 'Bearer bad' } })).status, 401);
  assert.equal((await fetch(`${base}/orders`, { headers: { authorization: 'Bearer good' } })).status, 200);
});
