import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { systemActor } from '../../src/app/actor';
import { createApiKey } from '../../src/app/auth/create-api-key';
import { createUser } from '../../src/app/auth/create-user';
import { createOrganisation } from '../../src/app/organisations/create-organisation';
import type { Role } from '../../src/domain/receivables/records';
import { type Clock, fixedClock } from '../../src/infra/clock';
import type { Db } from '../../src/infra/db/db';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../src/http/app';
import type { AppContext } from '../../src/http/context';
import { openTestDb } from './test-db';

export const TEST_PASSWORD = 'correct horse battery staple';
export const TODAY = '2026-03-31';

export type TestOrg = {
  id: string;
  adminEmail: string;
  /** Bearer headers of an API key per role. */
  as: Record<Role, { authorization: string }>;
};

/** A new organisation with one API key per role, named uniquely so tests can share a database. */
export async function createTestOrg(db: Db, options: { baseCurrency?: string } = {}): Promise<TestOrg> {
  const suffix = randomUUID().slice(0, 8);
  const adminEmail = `admin-${suffix}@test.encours`;
  const { organisation } = await createOrganisation({
    db,
    name: `Org ${suffix}`,
    baseCurrency: options.baseCurrency ?? 'EUR',
    admin: { email: adminEmail, name: 'Admin', password: TEST_PASSWORD },
  });
  const actor = systemActor(organisation.id);
  const as = {} as TestOrg['as'];
  for (const role of ['admin', 'credit_manager', 'collector', 'sales', 'viewer'] as const) {
    const { secret } = await createApiKey({ db, actor, name: `test-${role}`, role });
    as[role] = { authorization: `Bearer ${secret}` };
  }
  return { id: organisation.id, adminEmail, as };
}

export async function createTestUser(db: Db, org: TestOrg, role: Role) {
  const email = `${role}-${randomUUID().slice(0, 8)}@test.encours`;
  await createUser({ db, actor: systemActor(org.id), email, name: `${role} user`, role, password: TEST_PASSWORD });
  return email;
}

export async function createTestApp(db: Db, clock: Clock = fixedClock(`${TODAY}T10:00:00Z`), extra: Partial<AppContext> = {}) {
  return buildApp({ db, clock, loginRateLimit: 1000, ...extra });
}

export function json<T = any>(response: LightMyRequestResponse): T {
  return JSON.parse(response.body) as T;
}

/**
 * The usual test file setup: its own database (or the shared PostgreSQL), an app with a fixed
 * clock, and one organisation with a key per role; closed after the file.
 */
export function setupTestApp(extra: () => Promise<Partial<AppContext>> = async () => ({})) {
  const t = {} as { db: Db; app: Awaited<ReturnType<typeof createTestApp>>; org: TestOrg };
  beforeAll(async () => {
    t.db = await openTestDb();
    t.app = await createTestApp(t.db, undefined, await extra());
    t.org = await createTestOrg(t.db);
  });
  afterAll(async () => {
    await t.app?.close();
    await t.db?.close();
  });
  return t;
}
