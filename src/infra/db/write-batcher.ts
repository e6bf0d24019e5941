/**
 * Group commit for small writes that arrive together: items queued in the same turn of the event
 * loop are written by one statement (one round trip, one commit) and each caller gets its own
 * result once that statement has committed. Under load, concurrent order checks log their
 * decisions this way instead of committing one by one. If the batch fails, its items are written
 * one by one, so only the faulty one fails.
 */
export function writeBatcher<T, R>(write: (items: T[]) => Promise<R[]>): (item: T) => Promise<R> {
  let queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  const flush = async () => {
    const batch = queue;
    queue = [];
    try {
      const results = await write(batch.map((q) => q.item));
      batch.forEach((q, i) => q.resolve(results[i]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      // One bad item (another tenant's, perhaps) must not fail the others: write them one by one.
      for (const q of batch) {
        try {
          q.resolve((await write([q.item]))[0]);
        } catch (itemError) {
          q.reject(itemError);
        }
      }
    }
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ item, resolve, reject });
    });
}

/** One batcher per database handle (a transaction gets its own), created on first use. */
export function batcherPer<K extends object, T, R>(create: (key: K) => (item: T) => Promise<R>): (key: K) => (item: T) => Promise<R> {
  const batchers = new WeakMap<K, (item: T) => Promise<R>>();
  return (key) => {
    let batcher = batchers.get(key);
    if (!batcher) batchers.set(key, (batcher = create(key)));
    return batcher;
  };
}
