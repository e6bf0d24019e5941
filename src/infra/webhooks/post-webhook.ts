/**
 * Signed webhook delivery. The receiver checks `Encours-Signature: t=<unix seconds>,v1=<hex>`,
 * where v1 = HMAC-SHA256(secret, "<t>.<raw body>"), and rejects old timestamps to stop replays.
 *
 * The target is a tenant's choice, so the request must not reach the server's own network
 * (OWASP SSRF prevention): https only (plain http only to hosts the operator lists), the name is
 * resolved once and the connection goes to that address only if it is public (checked in the
 * socket's own `lookup`, so a name cannot resolve to one address when checked and another when
 * connecting), redirects are not followed, and the tenant sees a neutral error; the detail is the
 * error's `cause`, for the server's log.
 */
import { createHmac } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPublicAddress, webhookUrlProblem } from './address-policy';

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Resolves like the system does, but refuses a name any of whose addresses is not public. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    const done = callback as (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
    if (error) return done(error, '');
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused || addresses.length === 0) return done(Object.assign(new Error(`${hostname} resolves to ${refused?.address ?? 'nothing'}, which is not a public address`), { code: 'EADDRREFUSED' }), '');
    if (options.all) return done(null, addresses);
    done(null, addresses[0].address, addresses[0].family);
  });
};

export async function postWebhook(options: { url: string; secret: string; event: string; deliveryId: string; payload: unknown; now: Date; timeoutMs?: number; allowHosts?: string[] }) {
  const body = JSON.stringify(options.payload);
  const timestamp = Math.floor(options.now.getTime() / 1000);
  const allowHosts = options.allowHosts ?? [];
  const target = new URL(options.url);
  const host = target.host;
  // One message for every way a delivery can fail before an answer: refused address, no route,
  // connection refused, timeout… — telling them apart would tell a tenant what listens where.
  const notDelivered = (cause: unknown) => new Error(`webhook ${host}: not delivered (no answer from the target)`, { cause });
  const problem = webhookUrlProblem(options.url, allowHosts);
  if (problem) throw notDelivered(new Error(`refused target ${options.url}: ${problem}`));
  const isAllowedHost = allowHosts.includes(target.hostname.toLowerCase().replace(/^\[|\]$/g, ''));
  const status = await new Promise<number>((resolve, reject) => {
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Encours-Webhooks/1',
          'encours-event': options.event,
          'encours-delivery': options.deliveryId,
          'encours-signature': webhookSignature(options.secret, timestamp, body),
        },
        // A host the operator listed may be internal; any other must resolve to public addresses only.
        lookup: isAllowedHost ? undefined : publicOnlyLookup,
        // No pooled socket: each delivery resolves and checks its address again.
        agent: false,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      },
      (response) => {
        // Redirects are not followed: a 3xx is an answer like any other non-2xx.
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', (error) => reject(notDelivered(error)));
    request.end(body);
  });
  if (status < 200 || status >= 300) throw new Error(`webhook ${host}: answered HTTP ${status}`);
  return { status };
}
