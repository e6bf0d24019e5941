import { describe, expect, it } from 'vitest';
import { json, setupTestApp } from '../support/test-app';

const t = setupTestApp(); // no ENCOURS_WEBHOOK_ALLOW_HOSTS

const add = (target: string) => t.app.inject({ method: 'POST', url: '/api/v1/alert-channels', payload: { kind: 'webhook', target }, headers: t.org.as.admin });

describe('webhook targets an organisation may register', () => {
  // Refused when the channel is registered, from the URL alone: nothing connects to these addresses.
  it('refuses plain http and internal addresses unless the operator allows the host', async () => {
    for (const [target, reason] of [
      ['http://127.0.0.1:5432/x', 'must be an https URL'],
      ['https://127.0.0.1:5432/x', 'must not point to a private, loopback, link-local or multicast address'],
      ['https://169.254.169.254/latest/meta-data', 'must not point to a private, loopback, link-local or multicast address'],
      ['https://[fe80::1]/x', 'must not point to a private, loopback, link-local or multicast address'],
      ['http://hooks.example.com/x', 'must be an https URL'],
    ]) {
      const response = await add(target);
      expect(response.statusCode, target).toBe(400);
      expect(json(response).errors[0], target).toMatchObject({ field: 'target', reason });
    }
    // A public https URL is registered (nothing is sent now; the address is checked again at each delivery).
    expect((await add('https://hooks.example.com/encours')).statusCode).toBe(201);
    const channels = json(await t.app.inject({ method: 'GET', url: '/api/v1/alert-channels', headers: t.org.as.admin })).items;
    expect(channels.map((c: { target: string }) => c.target)).toEqual(['https://hooks.example.com/encours']);
  });
});
