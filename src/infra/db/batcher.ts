/**
 * Batching of small statements that arrive together (group commit): under load, concurrent order
 * checks read their snapshots and log their decisions through one statement per batch instead
 * of one each, which saves round trips, commits and process wake-ups. Items queued in the same
 * turn of the event loop form a batch; while `inFlight` batches are running, new items wait and
 * go together in the next one, so batches grow with the load and a lone item never waits. Each
 * caller gets its own result. If a batch fails, its items are run one by one, so only the faulty
 * one fails.
 */
export function batcher<T, R>(run: (items: T[]) => Promise<R[]>, options: { inFlight?: number } = {}): (item: T) => Promise<R> {
  const maxInFlight = options.inFlight ?? 1;
  let queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let running = 0;
  let scheduled = false;
  const settle = async (batch: typeof queue) => {
    try {
      const results = await run(batch.map((q) => q.item));
      batch.forEach((q, i) => q.resolve(results[i]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      // One bad item (another tenant's, perhaps) must not fail the others: run them one by one.
      for (const q of batch) {
        try {
          q.resolve((await run([q.item]))[0]);
        } catch (itemError) {
          q.reject(itemError);
        }
      }
    }
  };
  const flush = () => {
    scheduled = false;
    while (queue.length > 0 && running < maxInFlight) {
      const batch = queue;
      queue = [];
      running++;
      void settle(batch).finally(() => {
        running--;
        flush();
      });
    }
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!scheduled && running < maxInFlight) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}

/** One batcher per key (a database handle: a transaction gets its own), created on first use. */
export function batcherPer<K extends object, T, R>(create: (key: K) => (item: T) => Promise<R>): (key: K) => (item: T) => Promise<R> {
  const batchers = new WeakMap<K, (item: T) => Promise<R>>();
  return (key) => {
    let batcher = batchers.get(key);
    if (!batcher) batchers.set(key, (batcher = create(key)));
    return batcher;
  };
}
