/**
 * A parsing worker thread: parses one file at a time, sent by the pool in parse-pool.ts. Rows of a
 * spreadsheet go back in slices, each sent once the main thread asked for more, so a large file
 * never piles up in either thread.
 */
import { parentPort } from 'node:worker_threads';
import { type FromWorker, type ToWorker, toWire } from './wire';

const ROWS_PER_MESSAGE = 1000;
const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs in a worker thread');
const send = (message: FromWorker) => port.postMessage(message);

let wake: (() => void) | null = null;
let isCancelled = false;
/** Waits until the main thread asks for more rows; false when it cancelled instead. */
const more = () => (isCancelled ? Promise.resolve(false) : new Promise<boolean>((resolve) => (wake = () => resolve(!isCancelled))));

async function run(kind: string, bytes: Uint8Array) {
  // Each parser is loaded the first time a file needs it (exceljs and pdf-lib are slow to load).
  if (kind === 'statement') {
    const { parseStatement } = await import('../../formats/statements/parse-statement');
    return send({ type: 'result', value: parseStatement(bytes) });
  }
  if (kind === 'einvoice') {
    const { parseEInvoice } = await import('../../formats/einvoice/parse-einvoice');
    return send({ type: 'result', value: await parseEInvoice(bytes) });
  }
  const { rowsOf } = await import('../../formats/spreadsheet/read-rows');
  let slice: unknown[] = [];
  for await (const row of rowsOf(bytes)) {
    if (isCancelled) break;
    slice.push(row);
    if (slice.length < ROWS_PER_MESSAGE) continue;
    send({ type: 'rows', rows: slice });
    slice = [];
    if (!(await more())) break;
  }
  if (slice.length > 0 && !isCancelled) {
    send({ type: 'rows', rows: slice });
    await more();
  }
  send({ type: 'end' }); // also after a cancel: the pool waits for it before reusing this worker
}

port.on('message', (message: ToWorker) => {
  if (message.type !== 'start') {
    if (message.type === 'cancel') isCancelled = true;
    const resolve = wake;
    wake = null;
    resolve?.();
    return;
  }
  isCancelled = false;
  run(message.kind, message.bytes).catch((error) => send({ type: 'error', error: toWire(error) }));
});
