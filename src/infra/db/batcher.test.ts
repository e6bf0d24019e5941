import { describe, expect, it } from 'vitest';
import { batcherPer, batcher } from './batcher';

describe('batcher', () => {
  it('writes what arrives in the same turn in one call and gives each caller its own result', async () => {
    const calls: number[][] = [];
    const double = batcher(async (items: number[]) => {
      calls.push(items);
      return items.map((i) => i * 2);
    });
    expect(await Promise.all([double(1), double(2), double(3)])).toEqual([2, 4, 6]);
    expect(await double(4)).toBe(8);
    expect(calls).toEqual([[1, 2, 3], [4]]);
  });

  it('fails only the caller whose item cannot be written, and the next batch starts afresh', async () => {
    const calls: string[][] = [];
    const write = batcher(async (items: string[]) => {
      calls.push(items);
      if (items.includes('bad')) throw new Error('constraint violated');
      return items.map((i) => i.toUpperCase());
    });
    const results = await Promise.allSettled([write('a'), write('bad'), write('b')]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 'A' },
      { status: 'rejected', reason: new Error('constraint violated') },
      { status: 'fulfilled', value: 'B' },
    ]);
    expect(calls).toEqual([['a', 'bad', 'b'], ['a'], ['bad'], ['b']]);
    expect(await write('c')).toBe('C');
  });

  it('holds what arrives while a batch runs and sends it as the next batch, up to the runs allowed in flight', async () => {
    const calls: number[][] = [];
    const pending: (() => void)[] = [];
    const slow = batcher(
      (items: number[]) =>
        new Promise<number[]>((resolve) => {
          calls.push(items);
          pending.push(() => resolve(items.map((i) => -i)));
        }),
      { inFlight: 1 },
    );
    const first = slow(1);
    await new Promise(setImmediate);
    expect(calls).toEqual([[1]]);
    const later = [slow(2), slow(3)];
    await new Promise(setImmediate);
    expect(calls).toEqual([[1]]); // 2 and 3 wait for the running batch
    pending.shift()?.();
    expect(await first).toBe(-1);
    await new Promise(setImmediate);
    expect(calls).toEqual([[1], [2, 3]]);
    pending.shift()?.();
    expect(await Promise.all(later)).toEqual([-2, -3]);

    const two = batcher(async (items: number[]) => {
      calls.push(items);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return items;
    }, { inFlight: 2 });
    calls.length = 0;
    const a = two(1);
    await new Promise(setImmediate);
    const b = two(2); // a second batch may start while the first runs
    await new Promise(setImmediate);
    expect(calls).toEqual([[1], [2]]);
    expect(await Promise.all([a, b])).toEqual([1, 2]);
  });

  it('keeps one batcher per key', () => {
    const of = batcherPer((key: { name: string }) => batcher(async (items: number[]) => items.map(() => key.name)));
    const [a, b] = [{ name: 'a' }, { name: 'b' }];
    expect(of(a)).toBe(of(a));
    expect(of(a)).not.toBe(of(b));
  });
});
