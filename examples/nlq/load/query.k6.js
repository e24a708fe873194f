// k6 load test for the nlq health gate: run with BASE_URL pointing at a deployed service.
// The pass/fail thresholds live in build.yaml (health_gates[].thresholds).
import { check, sleep } from 'k6';
import http from 'k6/http';

export const options = { vus: 10, duration: '1m' };

const QUESTIONS = [
  'how many orders over 100 in March',
  'average price of products under 20',
  'total amount of shipped orders in 2024',
];
const BASE_URL = __ENV.BASE_URL || 'http://localhost:3000';

export default function () {
  const question = QUESTIONS[Math.floor(Math.random() * QUESTIONS.length)];
  const res = http.get(`${BASE_URL}/query?q=${encodeURIComponent(question)}`);
  check(res, {
    'status is 200': (r) => r.status === 200,
    'has a query': (r) => Boolean(r.json('query.entity')),
  });
  sleep(1);
}
