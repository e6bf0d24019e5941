import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // test/postgres holds what only a PostgreSQL server has (connections it can drop).
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...(process.env.DATABASE_URL ? [] : ['test/postgres/**'])],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
