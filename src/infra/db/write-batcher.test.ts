import { describe, expect, it } from 'vitest';
import { batcherPer, writeBatcher } from './write-batcher';

describe('write batcher', () => {
  it('writes what arrives in the same turn in one call and gives each caller its own result', async () => {
    const calls: number[][] = [];
    const double = writeBatcher(async (items: number[]) => {
      calls.push(items);
      return items.map((i) => i * 2);
    });
    expect(await Promise.all([double(1), double(2), double(3)])).toEqual([2, 4, 6]);
    expect(await double(4)).toBe(8);
    expect(calls).toEqual([[1, 2, 3], [4]]);
  });

  it('fails only the caller whose item cannot be written, and the next batch starts afresh', async () => {
    const calls: string[][] = [];
    const write = writeBatcher(async (items: string[]) => {
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

  it('keeps one batcher per key', () => {
    const of = batcherPer((key: { name: string }) => writeBatcher(async (items: number[]) => items.map(() => key.name)));
    const [a, b] = [{ name: 'a' }, { name: 'b' }];
    expect(of(a)).toBe(of(a));
    expect(of(a)).not.toBe(of(b));
  });
});
