import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook } from './post-webhook';

// A receiver on loopback: it must be reached only when the operator allows 127.0.0.1.
const received: string[] = [];
const receiver = createServer((req, res) => {
  received.push(req.url ?? '');
  res.writeHead(req.url === '/redirect' ? 302 : 204, req.url === '/redirect' ? { location: 'http://127.0.0.1:1/elsewhere' } : {}).end();
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

const send = (url: string, allowHosts: string[] = []) => postWebhook({ url, secret: 's', event: 'test', deliveryId: 'd', payload: { ok: true }, now: new Date('2026-03-31T10:00:00Z'), timeoutMs: 2000, allowHosts });

describe('webhook delivery and the server\'s own network', () => {
  it('delivers to a loopback receiver the operator allows, without following redirects', async () => {
    expect(await send(`http://127.0.0.1:${port}/hook`, ['127.0.0.1'])).toEqual({ status: 204 });
    await expect(send(`http://127.0.0.1:${port}/redirect`, ['127.0.0.1'])).rejects.toThrow(`webhook 127.0.0.1:${port}: answered HTTP 302`);
    expect(received).toEqual(['/hook', '/redirect']);
  });

  it('refuses a loopback target the operator does not allow, by address or by a name that resolves to it, with a neutral error', async () => {
    received.length = 0;
    for (const url of [`http://127.0.0.1:${port}/a`, `https://127.0.0.1:${port}/b`, `https://localhost:${port}/c`, `https://[::1]:${port}/d`]) {
      const error = await send(url).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      // The same words whatever happened: nothing tells a tenant what listens on the port.
      expect((error as Error).message, url).toMatch(/^webhook .+: not delivered \(no answer from the target\)$/);
      expect(String(((error as Error).cause as Error).message), url).toMatch(/must be an https URL|not a public address|must not point to a private/);
    }
    // A closed port the operator allows gives the same neutral message.
    const closed = await send('http://127.0.0.1:1/x', ['127.0.0.1']).catch((e: Error) => e);
    expect((closed as Error).message).toBe('webhook 127.0.0.1:1: not delivered (no answer from the target)');
    expect(received).toEqual([]);
  });
});
