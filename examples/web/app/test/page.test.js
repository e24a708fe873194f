import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, renderPage } from '../src/page.js';

test('escapes HTML special characters', () => {
  assert.equal(
    escapeHtml(`<a href="x">Tom & 'Jerry'</a>`),
    '&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;',
  );
});

test('renders the title, one list item per entry and the client script', () => {
  const html = renderPage({ title: 'Checklist', items: ['one', '<two>'] });
  assert.match(html, /<title>Checklist<\/title>/);
  assert.match(html, /<li>one<\/li>\s*<li>&lt;two&gt;<\/li>/);
  assert.match(html, /2 of 2 shown/);
  assert.match(html, /<script type="module" src="\/app.js"><\/script>/);
  assert.doesNotMatch(html, /<two>/);
});
