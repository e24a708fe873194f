import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { renderPage } from './page.js';

const CLIENT_JS = new URL('../public/app.js', import.meta.url);
const HEADERS = { 'content-security-policy': "default-src 'self'", 'x-content-type-options': 'nosniff' };
const DEFAULT_ITEMS = [
  'Lint and test on Node 22 and 24',
  'Describe with an SBOM',
  'Scan',
  'Build and push',
  'Sign and attest',
];

// Routes: GET / (the page), GET /app.js (the client script), GET /health.
export function createApp({ title = 'Release checklist', items = DEFAULT_ITEMS } = {}) {
  return createServer(async (req, res) => {
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, ...HEADERS });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405, 'text/plain; charset=utf-8', 'method not allowed');
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname === '/') return send(200, 'text/html; charset=utf-8', renderPage({ title, items }));
    if (pathname === '/app.js') return send(200, 'text/javascript; charset=utf-8', await readFile(CLIENT_JS));
    if (pathname === '/health') return send(200, 'application/json', JSON.stringify({ status: 'ok' }));
    return send(404, 'text/plain; charset=utf-8', 'not found');
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 3000);
  createApp().listen(port, () => console.log(`web app on :${port}`));
}
