/**
 * Signed webhook delivery. The receiver checks `Encours-Signature: t=<unix seconds>,v1=<hex>`,
 * where v1 = HMAC-SHA256(secret, "<t>.<raw body>"), and rejects old timestamps to stop replays.
 */
import { createHmac } from 'node:crypto';

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export async function postWebhook(options: { url: string; secret: string; event: string; deliveryId: string; payload: unknown; now: Date; timeoutMs?: number }) {
  const body = JSON.stringify(options.payload);
  const timestamp = Math.floor(options.now.getTime() / 1000);
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Encours-Webhooks/1',
        'encours-event': options.event,
        'encours-delivery': options.deliveryId,
        'encours-signature': webhookSignature(options.secret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new Error(`webhook ${new URL(options.url).host}: ${error instanceof Error ? (error.name === 'TimeoutError' ? 'no answer in time' : error.message) : String(error)}`);
  }
  await response.body?.cancel();
  if (response.status < 200 || response.status >= 300) throw new Error(`webhook ${new URL(options.url).host}: answered HTTP ${response.status}`);
  return { status: response.status };
}
