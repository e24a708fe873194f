import { createServer } from 'node:http';
import { Orders } from './orders.js';

// Routes: GET /health, GET /orders, POST /orders, GET /orders/:id
export function createApp(orders = new Orders()) {
  return createServer(async (req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/health') return send(200, { status: 'ok' });
    if (req.method === 'GET' && url.pathname === '/orders') return send(200, orders.list());
    if (req.method === 'POST' && url.pathname === '/orders') {
      try {
        return send(201, orders.create(JSON.parse(await readBody(req))));
      } catch (error) {
        return send(400, { error: error instanceof RangeError ? error.message : 'body must be JSON' });
      }
    }
    const match = /^\/orders\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && match) {
      const order = orders.get(match[1]);
      return order ? send(200, order) : send(404, { error: `no order ${match[1]}` });
    }
    return send(404, { error: 'not found' });
  });
}

async function readBody(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 3000);
  createApp().listen(port, () => console.log(`orders api on :${port}`));
}
