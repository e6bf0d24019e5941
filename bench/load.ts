/**
 * Load generator for `npm run bench`, run as a separate process so it does not share the server's
 * event loop: fires `count` requests at `concurrency` over keep-alive HTTP/1.1 connections and
 * prints one JSON line {count, seconds, perSecond, p50, p99, errors}.
 * Usage: node --import tsx bench/load.ts URL METHOD AUTH BODY COUNT CONCURRENCY
 * BODY is "-" (none), a JSON object, or a JSON array of bodies sent in turn.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

const [url, method, auth, body, count, concurrency] = process.argv.slice(2);
const total = Number(count);
const agent = new Agent({ keepAlive: true, maxSockets: Number(concurrency) });
const target = new URL(url);
const parsed = body === '-' ? null : JSON.parse(body);
const payloads = parsed === null ? [null] : (Array.isArray(parsed) ? parsed : [parsed]).map((b) => Buffer.from(JSON.stringify(b)));
let sent = 0;

function once(): Promise<number> {
  const payload = payloads[sent++ % payloads.length];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      { agent, host: target.hostname, port: target.port, path: target.pathname + target.search, method, headers: { authorization: auth, ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}) } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode && res.statusCode < 300 ? resolve(performance.now() - started) : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

const latencies: number[] = [];
let errors = 0;
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (next < total) {
      next++;
      try {
        latencies.push(await once());
      } catch {
        errors++;
      }
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0;
console.log(JSON.stringify({ count: latencies.length, seconds, perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99), errors }));
agent.destroy();
