import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app';
import { fixedClock } from '../../src/infra/clock';
import { createTestUser, json, setupTestApp, TEST_PASSWORD, type TestOrg } from '../support/test-app';

const t = setupTestApp();

function sessionCookie(response: { cookies: { name: string; value: string }[] }) {
  const cookie = response.cookies.find((c) => c.name === 'encours_session');
  return cookie ? { cookie: `encours_session=${cookie.value}` } : undefined;
}

describe('sessions for people', () => {
  it('logs in with an httpOnly cookie, answers /me, and logs out', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: t.org.adminEmail.toUpperCase(), password: TEST_PASSWORD } });
    expect(login.statusCode, login.body).toBe(200);
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(json(login).user).toMatchObject({ email: t.org.adminEmail, role: 'admin', organisation: { id: t.org.id, baseCurrency: 'EUR' } });

    const headers = sessionCookie(login);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
    expect(json(me).email).toBe(t.org.adminEmail);

    // A browser's own fetch carries Sec-Fetch-Site: same-origin (cookie-authenticated changes need it).
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { ...headers, 'sec-fetch-site': 'same-origin' } })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers })).statusCode).toBe(401);
  });

  it('gives the same refusal for a wrong password and an unknown e-mail', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: t.org.adminEmail, password: 'nope' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@test.encours', password: 'nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(json(wrong)).toEqual(json(unknown));
    expect(wrong.headers['content-type']).toContain('application/problem+json');
  });

  it('stores passwords as argon2id hashes and API keys as SHA-256, never in clear', async () => {
    const [user] = await t.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = $1', [t.org.adminEmail]);
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    const [key] = await t.db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE organisation_id = $1 LIMIT 1', [t.org.id]);
    expect(key.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(t.org.as.admin.authorization).not.toContain(key.key_hash);
  });

  it('rate-limits login attempts', async () => {
    const strict = await buildApp({ db: t.db, clock: fixedClock('2026-03-31T10:00:00Z'), loginRateLimit: 3 });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push((await strict.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: t.org.adminEmail, password: 'wrong' } })).statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    await strict.close();
  });
});

describe('roles', () => {
  const customer = { externalRef: 'R1', legalName: 'Roles SA', country: 'FR' };
  const order = { number: 'O-R1', customerRef: 'R1', orderDate: '2026-03-01', currency: 'EUR', amountInclTax: '10.00' };

  it('lets each role do only what it may', async () => {
    const attempt = async (role: keyof TestOrg['as'], url: string, payload: unknown) =>
      (await t.app.inject({ method: 'POST', url, payload: payload as object, headers: t.org.as[role] })).statusCode;
    expect(await attempt('viewer', '/api/v1/bulk/customers', { items: [customer] })).toBe(403);
    expect(await attempt('sales', '/api/v1/bulk/customers', { items: [customer] })).toBe(403);
    expect(await attempt('collector', '/api/v1/bulk/customers', { items: [customer] })).toBe(403);
    expect(await attempt('credit_manager', '/api/v1/bulk/customers', { items: [customer] })).toBe(200);
    expect(await attempt('viewer', '/api/v1/bulk/orders', { items: [order] })).toBe(403);
    // Orders are the ERP's: sales check them, a ledger writer writes them.
    expect(await attempt('sales', '/api/v1/bulk/orders', { items: [order] })).toBe(403);
    expect(await attempt('credit_manager', '/api/v1/bulk/orders', { items: [order] })).toBe(200);
    expect(await attempt('sales', '/api/v1/order-checks', { customerRef: 'R1', amount: '1.00' })).toBe(200);
    expect(await attempt('viewer', '/api/v1/order-checks', { customerRef: 'R1', amount: '1.00' })).toBe(403);
    expect(await attempt('credit_manager', '/api/v1/users', { email: 'x@test.encours', name: 'X', role: 'viewer', password: TEST_PASSWORD })).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: t.org.as.collector })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/customers', headers: t.org.as.viewer })).statusCode).toBe(200);
  });

  it('refuses anonymous callers and revoked keys', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/customers', headers: { authorization: 'Bearer enc_forged' } })).statusCode).toBe(401);
    const created = json(await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'erp', role: 'viewer' }, headers: t.org.as.admin }));
    const headers = { authorization: `Bearer ${created.secret}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/customers', headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${created.id}`, headers: t.org.as.admin })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/customers', headers })).statusCode).toBe(401);
  });

  it('lets an admin add a user who can then log in with that role', async () => {
    const email = await createTestUser(t.db, t.org, 'collector');
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD } });
    expect(json(login).user.role).toBe('collector');
  });

  it('serves health and the OpenAPI 3.1 document', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(json(health)).toMatchObject({ status: 'ok' });
    // Security headers on every answer.
    expect(health.headers['content-security-policy']).toContain("default-src 'self';");
    expect(health.headers['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
    expect(health.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN', 'strict-transport-security': expect.stringContaining('max-age=') });
    const doc = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/customers', '/api/v1/bulk/invoices', '/api/v1/analytics/aging']));
    expect((await t.app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
  });
});
