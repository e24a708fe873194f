import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseError, parseQuestion } from '../src/parser.js';

test('how many orders over 100 in March', () => {
  assert.deepEqual(parseQuestion('how many orders over 100 in March'), {
    action: 'count',
    entity: 'orders',
    filters: [{ field: 'amount', op: '>', value: 100 }],
    period: { month: 3 },
  });
});

test('averages a named field and filters on it', () => {
  assert.deepEqual(parseQuestion('Average price of products under $20?'), {
    action: 'avg',
    entity: 'products',
    metric: 'price',
    filters: [{ field: 'price', op: '<', value: 20 }],
  });
});

test('sums with a status filter and a month and year', () => {
  assert.deepEqual(parseQuestion('total amount of shipped orders in March 2024'), {
    action: 'sum',
    entity: 'orders',
    metric: 'amount',
    filters: [{ field: 'status', op: '=', value: 'shipped' }],
    period: { month: 3, year: 2024 },
  });
});

test('prefers two-word comparisons and keeps each filter on its own field', () => {
  const query = parseQuestion('how many orders more than 100 with quantity at most 3 in 2023');
  assert.deepEqual(query.filters, [
    { field: 'amount', op: '>', value: 100 },
    { field: 'quantity', op: '<=', value: 3 },
  ]);
  assert.deepEqual(query.period, { year: 2023 });
});

test('lists when no action is asked for', () => {
  assert.deepEqual(parseQuestion('open orders'), {
    action: 'list',
    entity: 'orders',
    filters: [{ field: 'status', op: '=', value: 'open' }],
  });
});

test('explains what it cannot parse', () => {
  assert.throws(() => parseQuestion('what is the weather'), ParseError);
  assert.throws(() => parseQuestion('orders over lots'), /needs a number/);
  assert.throws(() => parseQuestion('orders 100'), /cannot tell what 100 refers to/);
});
