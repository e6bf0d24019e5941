import { describe, expect, it } from 'vitest';
import { jobStateOf } from './job-state';

const now = new Date('2026-12-03T10:00:00Z');
const at = (s: number) => new Date(now.getTime() + s * 1000);

describe('the state of a background job', () => {
  it('is running while its worker renews the lock, stalled once the lock has lapsed', () => {
    expect(jobStateOf({ status: 'running', lockedUntil: at(30), runAt: null, attempts: 1, maxAttempts: 3 }, now, 30_000)).toEqual({ state: 'running', resumesAt: null });
    expect(jobStateOf({ status: 'running', lockedUntil: at(-10), runAt: null, attempts: 1, maxAttempts: 3 }, now, 30_000)).toEqual({ state: 'stalled', since: at(-10), resumesAt: at(30) });
  });

  it('is retrying until its next attempt after an error, queued otherwise', () => {
    expect(jobStateOf({ status: 'queued', lockedUntil: null, runAt: at(60), attempts: 1, maxAttempts: 3 }, now, 30_000)).toEqual({ state: 'retrying', resumesAt: at(60) });
    expect(jobStateOf({ status: 'queued', lockedUntil: null, runAt: at(-1), attempts: 0, maxAttempts: 3 }, now, 30_000)).toEqual({ state: 'queued', resumesAt: null });
  });
});
