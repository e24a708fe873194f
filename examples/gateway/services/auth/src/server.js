import { createServer } from 'node:http';
import { parseTokens, verifyAuthorization } from './tokens.js';

// Routes: GET /health, GET /verify (200 when the bearer token is allowed, else 401).
export function createAuth(tokens) {
  return createServer((req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/health') return send(200, { status: 'ok' });
    if (req.method === 'GET' && req.url === '/verify') {
      return verifyAuthorization(req.headers.authorization, tokens)
        ? send(200, { valid: true })
        : send(401, { valid: false });
    }
    return send(404, { error: 'not found' });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 3001);
  createAuth(parseTokens(process.env.AUTH_TOKENS)).listen(port, () => console.log(`auth on :${port}`));
}
