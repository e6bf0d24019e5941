import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createTestApp, createTestOrg, createTestUser, json, setupTestApp, TEST_PASSWORD, TODAY } from '../support/test-app';
import { purgeSessions } from '../../src/app/auth/purge-sessions';
import { SESSION_IDLE_MS } from '../../src/app/auth/sessions';
import { loadConfig } from '../../src/config';
import * as secrets from '../../src/infra/secrets';

// Count password verifications without changing them (the timing test counts hashes, not milliseconds).
vi.mock('../../src/infra/secrets', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/infra/secrets')>();
  return { ...original, verifyPassword: vi.fn(original.verifyPassword) };
});

const t = setupTestApp();
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };

/** A clock tests can move. */
function movableClock(iso = `${TODAY}T10:00:00Z`) {
  let now = new Date(iso);
  return { now: () => new Date(now), today: () => TODAY, advance: (ms: number) => { now = new Date(now.getTime() + ms); } };
}

async function logIn(app: typeof t.app, email: string, password = TEST_PASSWORD, headers: Record<string, string> = {}) {
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, headers });
  const cookie = response.cookies.find((c) => c.name === 'encours_session');
  return { response, headers: cookie ? { cookie: `encours_session=${cookie.value}` } : {} };
}

const me = async (app: typeof t.app, headers: object) => (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: headers as Record<string, string> })).statusCode;
const usersOf = async (app: typeof t.app, headers: object) => json(await app.inject({ method: 'GET', url: '/api/v1/users', headers: headers as Record<string, string> })).items as { id: string; email: string; isDisabled: boolean }[];

describe('login rate limits', () => {
  it('does not let a forged X-Forwarded-For escape the per-address limit', async () => {
    const app = await createTestApp(t.db, undefined, { loginRateLimit: 10 });
    const codes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const email = `nobody-${randomUUID()}@test.encours`; // a new account each time: only the address limit applies
      codes.push((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'wrong password' }, headers: { 'x-forwarded-for': `203.0.113.${i}` } })).statusCode);
    }
    expect(codes.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(codes.slice(10)).toEqual(Array(10).fill(429));
    await app.close();
  });

  it('believes X-Forwarded-For from a configured proxy only', async () => {
    // inject() connects from 127.0.0.1: as the trusted proxy, each forwarded client has its own budget.
    const app = await createTestApp(t.db, undefined, { loginRateLimit: 2, trustProxy: ['127.0.0.0/8'] });
    const attempt = (client: string) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `nobody-${randomUUID()}@test.encours`, password: 'wrong password' }, headers: { 'x-forwarded-for': client } });
    const codes = [];
    for (const client of ['198.51.100.1', '198.51.100.1', '198.51.100.1', '198.51.100.2']) codes.push((await attempt(client)).statusCode);
    expect(codes).toEqual([401, 401, 429, 401]);
    await app.close();
  });

  it('rejects a malformed ENCOURS_TRUST_PROXY', () => {
    expect(loadConfig({ ENCOURS_TRUST_PROXY: '10.0.0.0/8, 192.168.1.1 ,::1' }).trustProxy).toEqual(['10.0.0.0/8', '192.168.1.1', '::1']);
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(() => loadConfig({ ENCOURS_TRUST_PROXY: 'true' })).toThrow(/ENCOURS_TRUST_PROXY/);
    expect(() => loadConfig({ ENCOURS_TRUST_PROXY: '10.0.0.0/33' })).toThrow(/ENCOURS_TRUST_PROXY/);
  });

  it('limits guesses per account whatever the address, with a growing delay, shared by every process', async () => {
    const clock = movableClock();
    const app = await createTestApp(t.db, clock);
    const other = await createTestApp(t.db, clock);
    const email = await createTestUser(t.db, t.org, 'viewer');
    const codes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const target = i % 2 ? other : app; // two processes, one counter
      codes.push((await logIn(target, email, `wrong guess ${i}`, { 'x-forwarded-for': `203.0.113.${i}` })).response.statusCode);
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill(401));
    expect(codes.slice(5)).toContain(429);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(14);
    // Locked: even the right password waits (the answer does not tell which guess was right).
    expect((await logIn(app, email)).response.statusCode).toBe(429);
    expect(json((await logIn(app, email)).response).type).toContain('rate_limited');
    // An unknown address is throttled the same way: the lock reveals nothing about existence.
    const unknown = `ghost-${randomUUID()}@test.encours`;
    const unknownCodes = [];
    for (let i = 0; i < 7; i++) unknownCodes.push((await logIn(app, unknown, 'wrong guess')).response.statusCode);
    expect(unknownCodes).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // The delay grows but ends: after 15 minutes the right password works and resets the counter.
    clock.advance(15 * 60_000 + 1000);
    expect((await logIn(app, email)).response.statusCode).toBe(200);
    expect((await logIn(app, email, 'wrong again')).response.statusCode).toBe(401);
    await app.close();
    await other.close();
  });
});

describe('account enumeration', () => {
  it('verifies a password hash for an unknown e-mail as for a known one', async () => {
    const verify = vi.mocked(secrets.verifyPassword);
    const email = await createTestUser(t.db, t.org, 'viewer');
    const countFor = async (address: string) => {
      verify.mockClear();
      expect((await logIn(t.app, address, 'not the password')).response.statusCode).toBe(401);
      return verify.mock.calls.length;
    };
    const known = await countFor(email);
    const unknown = await countFor(`nobody-${randomUUID()}@test.encours`);
    expect(unknown).toBeGreaterThanOrEqual(1);
    expect(unknown).toBe(known);
    // The unknown address was checked against a real argon2id hash, not skipped.
    expect(verify.mock.calls[0][0]).toMatch(/^\$argon2id\$/);
  });

  it('keeps e-mail addresses per organisation: no 409 that reveals or squats another organisation', async () => {
    const b = await createTestOrg(t.db);
    const shared = `shared-${randomUUID().slice(0, 8)}@test.encours`;
    const add = (org: { as: { admin: Record<string, string> } }, password: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/users', headers: org.as.admin, payload: { email: shared, name: 'Shared', role: 'viewer', password } });
    expect((await add(t.org, 'first organisation pass')).statusCode).toBe(201);
    const inB = await add(b, 'second organisation pass');
    expect(inB.statusCode, inB.body).toBe(201);
    // Within one organisation an address stays unique.
    const again = await add(b, 'second organisation pass');
    expect(again.statusCode).toBe(409);
    expect(json(again).errors[0]).toMatchObject({ field: 'email', reason: 'already used in this organisation' });
    // Each person logs into their own organisation with their own password.
    expect(json((await logIn(t.app, shared, 'first organisation pass')).response).user.organisation.id).toBe(t.org.id);
    expect(json((await logIn(t.app, shared, 'second organisation pass')).response).user.organisation.id).toBe(b.id);
    // Same number of verifications whether the address has one account or two.
    const verify = vi.mocked(secrets.verifyPassword);
    verify.mockClear();
    await logIn(t.app, shared, 'neither password');
    const twoAccounts = verify.mock.calls.length;
    verify.mockClear();
    await logIn(t.app, t.org.adminEmail, 'neither password');
    expect(verify.mock.calls.length).toBe(twoAccounts);
  });
});

describe('password policy and account lifecycle', () => {
  it('refuses blank, common and e-mail-based passwords when adding a user', async () => {
    const email = `policy-${randomUUID().slice(0, 8)}@test.encours`;
    for (const [password, reason] of [
      ['          ', 'must use at least 5 different characters'],
      ['password12', 'is a common password found in breach lists'],
      [email, 'must not contain the e-mail address'],
    ]) {
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: t.org.as.admin, payload: { email, name: 'P', role: 'viewer', password } });
      expect(response.statusCode, password).toBe(400);
      expect(json(response).errors).toEqual([{ field: 'password', reason }]);
    }
    expect(await usersOf(t.app, t.org.as.admin)).not.toContainEqual(expect.objectContaining({ email }));
  });

  it('lets an administrator disable a user: sessions end at once in every process, login is refused, enabling restores it', async () => {
    const second = await createTestApp(t.db);
    const email = await createTestUser(t.db, t.org, 'collector');
    const { headers } = await logIn(t.app, email);
    expect(await me(second, headers)).toBe(200);
    const id = (await usersOf(t.app, t.org.as.admin)).find((u) => u.email === email)!.id;
    const disabled = await t.app.inject({ method: 'POST', url: `/api/v1/users/${id}/disable`, headers: t.org.as.admin });
    expect(json(disabled)).toMatchObject({ id, isDisabled: true });
    expect(await me(second, headers)).toBe(401);
    expect((await logIn(t.app, email)).response.statusCode).toBe(401);
    expect(json(await t.app.inject({ method: 'POST', url: `/api/v1/users/${id}/enable`, headers: t.org.as.admin })).isDisabled).toBe(false);
    expect((await logIn(t.app, email)).response.statusCode).toBe(200);
    // Only administrators; and not across organisations.
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/users/${id}/disable`, headers: t.org.as.credit_manager })).statusCode).toBe(403);
    const b = await createTestOrg(t.db);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/users/${id}/disable`, headers: b.as.admin })).statusCode).toBe(404);
    await second.close();
  });

  it('does not let an administrator disable themselves', async () => {
    const { headers } = await logIn(t.app, t.org.adminEmail);
    const id = (await usersOf(t.app, t.org.as.admin)).find((u) => u.email === t.org.adminEmail)!.id;
    const response = await t.app.inject({ method: 'POST', url: `/api/v1/users/${id}/disable`, headers: { ...headers, ...SAME_ORIGIN } });
    expect(response.statusCode).toBe(409);
  });

  it('lets an administrator reset a password (policy applies, sessions end) and revoke sessions', async () => {
    const email = await createTestUser(t.db, t.org, 'viewer');
    const id = (await usersOf(t.app, t.org.as.admin)).find((u) => u.email === email)!.id;
    const first = await logIn(t.app, email);
    const weak = await t.app.inject({ method: 'PUT', url: `/api/v1/users/${id}/password`, headers: t.org.as.admin, payload: { password: 'password12' } });
    expect(weak.statusCode).toBe(400);
    expect(await me(t.app, first.headers)).toBe(200);
    expect((await t.app.inject({ method: 'PUT', url: `/api/v1/users/${id}/password`, headers: t.org.as.admin, payload: { password: 'a brand new passphrase' } })).statusCode).toBe(204);
    expect(await me(t.app, first.headers)).toBe(401);
    expect((await logIn(t.app, email)).response.statusCode).toBe(401);
    const second = await logIn(t.app, email, 'a brand new passphrase');
    const third = await logIn(t.app, email, 'a brand new passphrase');
    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${id}/sessions`, headers: t.org.as.admin });
    expect(json(revoked)).toEqual({ revoked: 2 });
    expect(await me(t.app, second.headers)).toBe(401);
    expect(await me(t.app, third.headers)).toBe(401);
  });

  it('lets a user change their own password with the current one; their other sessions end', async () => {
    const email = await createTestUser(t.db, t.org, 'sales');
    const here = await logIn(t.app, email);
    const elsewhere = await logIn(t.app, email);
    const change = (currentPassword: string, newPassword: string) =>
      t.app.inject({ method: 'PUT', url: '/api/v1/auth/password', headers: { ...here.headers, ...SAME_ORIGIN }, payload: { currentPassword, newPassword } });
    const wrong = await change('not my password', 'another good passphrase');
    expect(wrong.statusCode).toBe(400);
    expect(json(wrong).errors).toEqual([{ field: 'currentPassword', reason: 'is wrong' }]);
    const weak = await change(TEST_PASSWORD, 'password12');
    expect(json(weak).errors).toEqual([{ field: 'newPassword', reason: 'is a common password found in breach lists' }]);
    expect((await change(TEST_PASSWORD, 'another good passphrase')).statusCode).toBe(204);
    expect(await me(t.app, here.headers)).toBe(200);
    expect(await me(t.app, elsewhere.headers)).toBe(401);
    expect((await logIn(t.app, email)).response.statusCode).toBe(401);
    expect((await logIn(t.app, email, 'another good passphrase')).response.statusCode).toBe(200);
    // An API key has no password to change.
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/auth/password', headers: t.org.as.viewer, payload: { currentPassword: 'x', newPassword: 'another good passphrase' } })).statusCode).toBe(403);
  });

  it('ends a session left idle, and the worker purges it', async () => {
    const clock = movableClock();
    const app = await createTestApp(t.db, clock);
    const email = await createTestUser(t.db, t.org, 'viewer');
    const { headers } = await logIn(app, email);
    clock.advance(SESSION_IDLE_MS / 2);
    expect(await me(app, headers)).toBe(200); // use keeps it alive…
    clock.advance(SESSION_IDLE_MS - 60_000);
    expect(await me(app, headers)).toBe(200);
    clock.advance(SESSION_IDLE_MS + 1000); // …idleness ends it
    expect(await me(app, headers)).toBe(401);
    const countSessions = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1', [email]))[0].n;
    expect(await countSessions()).toBe(1);
    await purgeSessions({ db: t.db, now: clock.now() });
    expect(await countSessions()).toBe(0);
    await app.close();
  });

  it('refuses a logout and a revoked key at once in another process (no per-process cache)', async () => {
    const second = await createTestApp(t.db);
    const { headers } = await logIn(t.app, t.org.adminEmail);
    expect(await me(second, headers)).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { ...headers, ...SAME_ORIGIN } })).statusCode).toBe(204);
    expect(await me(second, headers)).toBe(401);

    const key = json(await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: t.org.as.admin, payload: { name: 'erp', role: 'viewer' } }));
    const bearer = { authorization: `Bearer ${key.secret}` };
    expect((await second.inject({ method: 'GET', url: '/api/v1/customers', headers: bearer })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${key.id}`, headers: t.org.as.admin })).statusCode).toBe(204);
    expect((await second.inject({ method: 'GET', url: '/api/v1/customers', headers: bearer })).statusCode).toBe(401);
    await second.close();
  });
});

describe('CSRF and the Bearer scheme', () => {
  const evil = { origin: 'https://evil.example' };

  it('refuses cookie-authenticated changes from another origin, whatever the content type', async () => {
    const { headers } = await logIn(t.app, t.org.adminEmail);
    const form = new FormData();
    form.append('file', new Blob(['not a statement']), 'statement.xml');
    const attacks = [
      { method: 'POST', url: '/api/v1/order-checks/release-ready', headers: { ...headers, ...evil, 'content-type': 'text/plain' }, payload: '{}' },
      { method: 'POST', url: `/api/v1/alerts/${randomUUID()}/acknowledge`, headers: { ...headers, ...evil, 'content-type': 'text/plain' }, payload: '{}' },
      { method: 'POST', url: '/api/v1/imports/statements', headers: { ...headers, ...evil }, payload: form },
      { method: 'POST', url: '/api/v1/order-checks/release-ready', headers: { ...headers, 'sec-fetch-site': 'cross-site' } },
      { method: 'POST', url: '/api/v1/order-checks/release-ready', headers: { ...headers, 'sec-fetch-site': 'same-site', origin: 'http://localhost:80' } },
      { method: 'POST', url: '/api/v1/order-checks/release-ready', headers: { ...headers, origin: 'null' } },
      // No Origin and no Sec-Fetch-Site: no proof of origin, refused.
      { method: 'POST', url: '/api/v1/order-checks/release-ready', headers },
      { method: 'DELETE', url: `/api/v1/api-keys/${randomUUID()}`, headers: { ...headers, ...evil } },
    ] as const;
    for (const attack of attacks) {
      const response = await t.app.inject(attack as never);
      expect(response.statusCode, `${attack.method} ${attack.url} ${JSON.stringify(attack.headers)}`).toBe(403);
      expect(json(response).detail).toContain('cross-site request refused');
    }
    // Reads stay open to the session; the same changes from the app's own origin pass.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/customers', headers: { ...headers, ...evil } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/order-checks/release-ready', headers: { ...headers, ...SAME_ORIGIN } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/order-checks/release-ready', headers: { ...headers, origin: 'http://localhost:80' } })).statusCode).toBe(200);
  });

  it('accepts the configured public address as the origin (behind a proxy that rewrites Host)', async () => {
    const app = await createTestApp(t.db, undefined, { publicUrl: 'https://encours.example.com/' });
    const { headers } = await logIn(app, t.org.adminEmail);
    expect((await app.inject({ method: 'POST', url: '/api/v1/order-checks/release-ready', headers: { ...headers, origin: 'https://encours.example.com' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/order-checks/release-ready', headers: { ...headers, origin: 'https://encours.example.com.evil.example' } })).statusCode).toBe(403);
    await app.close();
  });

  it('refuses a cross-site login (login CSRF) but not a login without browser headers', async () => {
    expect((await logIn(t.app, t.org.adminEmail, TEST_PASSWORD, evil)).response.statusCode).toBe(403);
    expect((await logIn(t.app, t.org.adminEmail, TEST_PASSWORD, { 'sec-fetch-site': 'cross-site' })).response.statusCode).toBe(403);
    expect((await logIn(t.app, t.org.adminEmail)).response.statusCode).toBe(200);
  });

  it('leaves API-key requests alone and accepts the scheme in any case', async () => {
    const secret = t.org.as.admin.authorization.slice('Bearer '.length);
    for (const authorization of [`bearer ${secret}`, `BEARER ${secret}`, `Bearer   ${secret}`]) {
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/customers', headers: { authorization } })).statusCode, authorization).toBe(200);
    }
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/order-checks/release-ready', headers: { authorization: `bearer ${secret}`, ...evil } });
    expect(response.statusCode).toBe(200);
  });
});
