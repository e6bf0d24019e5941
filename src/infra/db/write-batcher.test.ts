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

  it('fails every caller of a failed write, and the next batch starts afresh', async () => {
    const write = writeBatcher(async (items: string[]) => {
      if (items.includes('bad')) throw new Error('constraint violated');
      return items;
    });
    const results = await Promise.allSettled([write('a'), write('bad')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await write('c')).toBe('c');
  });

  it('keeps one batcher per key', () => {
    const of = batcherPer((key: { name: string }) => writeBatcher(async (items: number[]) => items.map(() => key.name)));
    const [a, b] = [{ name: 'a' }, { name: 'b' }];
    expect(of(a)).toBe(of(a));
    expect(of(a)).not.toBe(of(b));
  });
});
