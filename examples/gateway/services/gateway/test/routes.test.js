import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveUpstream, routesFromEnv } from '../src/routes.js';

const routes = { '/orders': 'http://orders:3000', '/users': 'http://users:3000' };

test('maps each prefix to its upstream, keeping path and query', () => {
  assert.equal(resolveUpstream(routes, '/orders/7?x=1')?.href, 'http://orders:3000/orders/7?x=1');
  assert.equal(resolveUpstream(routes, '/users')?.href, 'http://users:3000/users');
});

test('matches whole path segments only', () => {
  assert.equal(resolveUpstream(routes, '/ordersx'), undefined);
  assert.equal(resolveUpstream(routes, '/'), undefined);
  assert.equal(resolveUpstream(routes, '/orders/../admin'), undefined);
});

test('reads upstreams from the environment and insists on both', () => {
  assert.deepEqual(routesFromEnv({ ORDERS_URL: 'http://o', USERS_URL: 'http://u' }), {
    '/orders': 'http://o',
    '/users': 'http://u',
  });
  assert.throws(() => routesFromEnv({ ORDERS_URL: 'http://o' }), /USERS_URL/);
});
