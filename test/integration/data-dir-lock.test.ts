import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, readLock } from '../../src/infra/db/data-dir-lock';

const dir = mkdtempSync(join(tmpdir(), 'encours-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tryLockInChild = (dataDir: string) =>
  spawnSync(
    process.execPath,
    ['--import', 'tsx', '-e', `import('${join(process.cwd(), 'src/infra/db/open-db.ts')}').then((m) => m.openDb({ dataDir: '${dataDir}' })).then(() => { console.log('OPENED'); process.exit(0); }, (e) => { console.error(e.message); process.exit(3); })`],
    { encoding: 'utf8', timeout: 60_000 },
  );

describe('embedded data directory lock', () => {
  it('refuses a second process while the first holds the directory', () => {
    const lock = acquireDataDirLock(dir, { url: 'http://127.0.0.1:3999' });
    const child = tryLockInChild(dir);
    expect(child.status).toBe(3);
    expect(child.stderr).toContain(`in use by process ${process.pid} (server at http://127.0.0.1:3999)`);
    lock.release();
    expect(readLock(dir)).toBeNull();
  });

  it('refuses a second lock in the same process too', () => {
    const first = acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    first.release();
  });

  it('takes over a stale lock left by a dead process', () => {
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout.trim());
    const stale = acquireDataDirLock(dir);
    stale.update({ pid: deadPid });
    const lock = acquireDataDirLock(dir);
    expect(readLock(dir)?.pid).toBe(process.pid);
    lock.release();
    expect(readLock(dir)).toBeNull();
  });
});
