import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export type LockInfo = { pid: number; url?: string; startedAt: string };

/**
 * PGlite has one connection: two processes on one data directory silently lose writes.
 * The lock is a file created with O_EXCL holding the owner's pid; a lock whose process is
 * gone is stale and taken over.
 */
export function acquireDataDirLock(dataDir: string, info: Omit<LockInfo, 'pid' | 'startedAt'> = {}): { release(): void; update(next: Partial<LockInfo>): void } {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'encours.lock');
  const content: LockInfo = { pid: process.pid, startedAt: new Date().toISOString(), ...info };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(content));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const current = readLock(dataDir);
        if (current?.pid === process.pid) rmSync(path, { force: true });
      };
      process.once('exit', release);
      return {
        release,
        update(next) {
          Object.assign(content, next);
          // Rewriting our own lock file: we own it, so no exclusivity is needed here.
          const fd2 = openSync(path, 'w', 0o600);
          writeSync(fd2, JSON.stringify(content));
          closeSync(fd2);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(dataDir);
      if (holder && isAlive(holder.pid)) {
        throw new DataDirLockedError(dataDir, holder);
      }
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

export function readLock(dataDir: string): LockInfo | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, 'encours.lock'), 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

/** The lock holder, when a live process other than this one holds it. */
export function liveLockHolder(dataDir: string): LockInfo | null {
  const holder = readLock(dataDir);
  return holder && holder.pid !== process.pid && isAlive(holder.pid) ? holder : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockInfo,
  ) {
    super(`the data directory ${dataDir} is in use by process ${holder.pid}${holder.url ? ` (server at ${holder.url})` : ''}`);
  }
}
