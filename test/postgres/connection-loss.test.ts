import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/infra/db/open-postgres';
import { createTestApp } from '../support/test-app';

// Runs only on PostgreSQL (vitest.config.ts includes test/postgres when DATABASE_URL is set).
const url = process.env.DATABASE_URL as string;

describe('PostgreSQL connections dropped by the server', () => {
  it('are logged and replaced: the process survives and the next requests succeed', async () => {
    const name = `encours-drop-${randomUUID().slice(0, 8)}`;
    const withName = `${url}${url.includes('?') ? '&' : '?'}application_name=${name}`;
    const lost: string[] = [];
    const db = await openPostgres({ url: withName, max: 4, onError: (error) => lost.push(error.message) });
    const admin = await openPostgres({ url, max: 1 });
    const app = await createTestApp(db);
    try {
      // Fill the pool with idle connections and one held inside a transaction.
      await Promise.all(Array.from({ length: 4 }, () => db.query('SELECT pg_sleep(0.05)')));
      let release!: () => void;
      const held = db.transaction(async (tx) => {
        await tx.query('SELECT 1');
        await new Promise<void>((resolve) => (release = resolve));
        await tx.query('SELECT 1');
      });
      await new Promise((r) => setTimeout(r, 50));
      const during = Array.from({ length: 20 }, () => app.inject({ method: 'GET', url: '/api/health' }));
      const [{ killed }] = await admin.query<{ killed: number }>('SELECT count(pg_terminate_backend(pid))::int AS killed FROM pg_stat_activity WHERE application_name = $1', [name]);
      expect(killed).toBeGreaterThanOrEqual(2);
      release();
      await expect(held).rejects.toThrow();
      const statuses = (await Promise.all(during)).map((r) => r.statusCode);
      expect(statuses.every((s) => s === 200 || s === 500)).toBe(true);
      await new Promise((r) => setTimeout(r, 100));
      expect(lost.length).toBeGreaterThan(0);
      // Fresh connections replace the dropped ones.
      for (let i = 0; i < 10; i++) expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
      expect(await db.transaction((tx) => tx.query<{ one: number }>('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
    } finally {
      await app.close();
      await db.close();
      await admin.close();
    }
  });
});
