/**
 * Load generator for `npm run bench`, run as a separate process so it does not share the server's
 * event loop: fires `count` requests over `concurrency` keep-alive HTTP/1.1 connections with
 * autocannon (the usual Node.js HTTP load tester, which costs its process about half the CPU per
 * request of a node:http client: on 2 cores, what the generator spends the server cannot use)
 * and prints one JSON line {count, seconds, perSecond, p50, p99, errors}.
 * Usage: node --import tsx bench/load.ts URL METHOD AUTH BODY COUNT CONCURRENCY
 * BODY is "-" (none), a JSON object, or a JSON array of bodies sent in turn.
 */
import autocannon from 'autocannon';

const [url, method, auth, body, count, concurrency] = process.argv.slice(2);
const parsed = body === '-' ? null : JSON.parse(body);
const headers = { authorization: auth, ...(parsed === null ? {} : { 'content-type': 'application/json' }) };
const requests = (parsed === null ? [null] : Array.isArray(parsed) ? parsed : [parsed]).map((b) => ({
  method: method as 'GET' | 'POST',
  headers,
  ...(b === null ? {} : { body: JSON.stringify(b) }),
}));
// autocannon notices the end of a fixed-count run at its next sample: sample every 10 ms, not every
// second, or the duration would be rounded up to whole seconds.
const result = await autocannon({ url, connections: Number(concurrency), amount: Number(count), requests, timeout: 10, sampleInt: 10 });
const count2xx = result['2xx'];
console.log(
  JSON.stringify({
    count: count2xx,
    seconds: result.duration,
    perSecond: count2xx / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  }),
);
