import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenize } from '../src/tokenizer.js';

test('lower-cases words and drops punctuation', () => {
  assert.deepEqual(tokenize('How many Orders?'), [
    { type: 'word', value: 'how' },
    { type: 'word', value: 'many' },
    { type: 'word', value: 'orders' },
  ]);
});

test('reads numbers with currency signs, thousands separators and decimals', () => {
  assert.deepEqual(
    tokenize('over $1,250.50 or 7').filter((t) => t.type === 'number'),
    [
      { type: 'number', value: 1250.5 },
      { type: 'number', value: 7 },
    ],
  );
});

test('gives no tokens for an empty question', () => {
  assert.deepEqual(tokenize(''), []);
});
