// Server-side rendering: one HTML page, every dynamic value escaped.
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);

export function renderPage({ title, items }) {
  const list = items.map((item) => `      <li>${escapeHtml(item)}</li>`).join('\n');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)}</title>
  </head>
  <body>
    <h1>${escapeHtml(title)}</h1>
    <label>Filter <input id="filter" type="search" autocomplete="off"></label>
    <ul id="items">
${list}
    </ul>
    <p id="count">${items.length} of ${items.length} shown</p>
    <script type="module" src="/app.js"></script>
  </body>
</html>
`;
}
