import { createServer } from 'node:http';
import { ParseError, parseQuestion } from './parser.js';

// Routes: GET /health, GET /query?q=<question> → { question, query }.
export function createApp() {
  return createServer((req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/health') return send(200, { status: 'ok' });
    if (req.method === 'GET' && url.pathname === '/query') {
      const question = url.searchParams.get('q')?.trim();
      if (!question) return send(400, { error: 'ask a question with ?q=' });
      if (question.length > 500) return send(400, { error: 'questions are limited to 500 characters' });
      try {
        return send(200, { question, query: parseQuestion(question) });
      } catch (error) {
        if (error instanceof ParseError) return send(422, { question, error: error.message });
        return send(500, { error: 'internal error' });
      }
    }
    return send(404, { error: 'not found' });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 3000);
  createApp().listen(port, () => console.log(`nlq on :${port}`));
}
