import { createServer, request } from 'node:http';
import { RateLimiter } from './rate-limit.js';
import { resolveUpstream, routesFromEnv } from './routes.js';

// Headers that describe one connection and must not be forwarded by a proxy.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'upgrade'];

// Routes: GET /health; /orders/* and /users/* proxied upstream, rate limited per client IP.
export function createGateway({ routes, limiter = new RateLimiter(), authUrl } = {}) {
  return createServer(async (req, res) => {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/health') return send(200, { status: 'ok' });
    // The socket address, not X-Forwarded-For: a client could forge the header to dodge the limit.
    const { allowed, remaining, retryAfterMs } = limiter.take(req.socket.remoteAddress ?? 'unknown');
    if (!allowed) {
      return send(429, { error: 'too many requests' }, { 'retry-after': Math.ceil(retryAfterMs / 1000) });
    }
    const target = resolveUpstream(routes, req.url ?? '/');
    if (!target) return send(404, { error: 'not found' });
    if (authUrl && !(await authorized(authUrl, req.headers.authorization))) {
      return send(401, { error: 'unauthorized' });
    }
    proxy(req, res, target, { 'x-ratelimit-remaining': String(remaining) }, send);
  });
}

function proxy(req, res, target, extraHeaders, send) {
  const headers = { ...req.headers, host: target.host, 'x-forwarded-for': req.socket.remoteAddress };
  for (const name of HOP_BY_HOP) delete headers[name];
  const upstream = request(target, { method: req.method, headers }, (reply) => {
    const replyHeaders = { ...reply.headers, ...extraHeaders };
    for (const name of HOP_BY_HOP) delete replyHeaders[name];
    res.writeHead(reply.statusCode ?? 502, replyHeaders);
    reply.pipe(res);
  });
  upstream.on('error', () => {
    if (res.headersSent) res.destroy();
    else send(502, { error: 'upstream unavailable' });
  });
  req.pipe(upstream);
}

async function authorized(authUrl, authorization) {
  if (!authorization) return false;
  try {
    return (await fetch(new URL('/verify', authUrl), { headers: { authorization } })).ok;
  } catch {
    return false;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 8080);
  const limiter = new RateLimiter({ limit: Number(process.env.RATE_LIMIT ?? 60), windowMs: 60_000 });
  const gateway = createGateway({ routes: routesFromEnv(), limiter, authUrl: process.env.AUTH_URL });
  gateway.listen(port, () => console.log(`gateway on :${port}`));
}
