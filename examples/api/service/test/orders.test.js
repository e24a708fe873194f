import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Orders } from '../src/orders.js';
import { createApp } from '../src/server.js';

test('creates and reads back an order', () => {
  const orders = new Orders();
  const order = orders.create({ item: 'coffee', quantity: 2 });
  assert.deepEqual(orders.get(order.id), { id: '1', item: 'coffee', quantity: 2, status: 'open' });
});

test('refuses a non-positive quantity', () => {
  assert.throws(() => new Orders().create({ item: 'tea', quantity: 0 }), /quantity/);
});

test('serves orders over HTTP', async (t) => {
  const server = createApp().listen(0, '127.0.0.1');
  t.after(() => server.close());
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const created = await fetch(`${base}/orders`, {
    method: 'POST',
    body: JSON.stringify({ item: 'cake', quantity: 1 }),
  });
  assert.equal(created.status, 201);
  const { id } = await created.json();
  const read = await fetch(`${base}/orders/${id}`);
  assert.equal((await read.json()).item, 'cake');
  assert.equal((await fetch(`${base}/orders/nope`)).status, 404);
});
