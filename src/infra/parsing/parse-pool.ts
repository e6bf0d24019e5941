/**
 * Files from outside are parsed in worker threads (node:worker_threads), never on the main thread:
 * a hostile or huge file costs a worker its CPU time and memory while the server keeps answering.
 * Each worker has a heap limit (a file needing more kills only its worker, and the import is
 * refused) and must show progress within a time limit. Workers are kept and reused: starting one
 * loads the parsers (about 2 s).
 */
import { Worker } from 'node:worker_threads';
import { EInvoiceError } from '../../formats/einvoice/types';
import { UnrecognisedFormatError } from '../../formats/parse-document';
import { type Row, SpreadsheetError } from '../../formats/spreadsheet/read-rows';
import { StatementParseError } from '../../formats/statements/types';
import type { FromWorker, ParseKind, ToWorker, WireError } from './wire';

export type ParsePoolSettings = {
  /** Files parsed at the same time; more wait for a free worker. */
  workers: number;
  /** Heap limit of each worker, in MB. */
  memoryMb: number;
  /** A worker that sends nothing for this long while it should be working is stopped. */
  stallSeconds: number;
};

/** Defaults; the server and the CLI apply ENCOURS_PARSE_WORKERS, _MEMORY_MB and _TIMEOUT (src/config.ts). */
export const DEFAULT_PARSE_POOL: ParsePoolSettings = { workers: 2, memoryMb: 512, stallSeconds: 60 };

/** A file the parser could not read within its limits (memory, time): the import is refused. */
export class ParseLimitError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ParseLimitError';
  }
}

let settings = { ...DEFAULT_PARSE_POOL };
const idle: Worker[] = [];
const waiting: ((worker: Worker) => void)[] = [];
let started = 0;

/** Changes the limits (tests, benchmarks); idle workers are replaced, busy ones finish first. */
export function configureParsePool(next: Partial<ParsePoolSettings>) {
  settings = { ...settings, ...next };
  for (const worker of idle.splice(0)) retire(worker);
}

/**
 * Starts the workers now rather than with the first files: starting one loads TypeScript and
 * the parsers, work better done before requests arrive than while they do.
 */
export function warmParsePool() {
  while (started < settings.workers) {
    const worker = spawn();
    worker.unref();
    idle.push(worker);
  }
}

export function parsePoolSettings(): ParsePoolSettings {
  return { ...settings };
}

function spawn(): Worker {
  started++;
  const worker = new Worker(new URL('./boot.mjs', import.meta.url), {
    resourceLimits: { maxOldGenerationSizeMb: settings.memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, settings.memoryMb / 8)) },
  });
  (worker as Worker & { memoryMb?: number }).memoryMb = settings.memoryMb;
  // Exits of a worker still counted (it died by itself) free its place.
  worker.once('exit', () => {
    if (!(worker as Worker & { isRetired?: boolean }).isRetired) retire(worker);
  });
  return worker;
}

function retire(worker: Worker) {
  const w = worker as Worker & { isRetired?: boolean };
  if (w.isRetired) return;
  w.isRetired = true;
  started--;
  const index = idle.indexOf(worker);
  if (index >= 0) idle.splice(index, 1);
  void worker.terminate();
  const next = waiting.shift();
  if (next) next(spawn());
}

async function acquire(): Promise<Worker> {
  const worker = idle.pop();
  if (worker) {
    worker.ref();
    return worker;
  }
  if (started < settings.workers) return spawn();
  return new Promise((resolve) => waiting.push(resolve));
}

function release(worker: Worker) {
  if ((worker as Worker & { memoryMb?: number }).memoryMb !== settings.memoryMb) return retire(worker);
  const next = waiting.shift();
  if (next) return next(worker);
  worker.unref(); // an idle worker does not keep the process alive
  idle.push(worker);
}

/** A parse error sent by a worker, as its own class again. */
function fromWire(error: WireError): Error {
  const location = error.location ?? 'file';
  const reason = error.reason ?? error.message;
  switch (error.name) {
    case 'SpreadsheetError':
      return new SpreadsheetError(location, reason);
    case 'EInvoiceError':
      return new EInvoiceError(location, reason);
    case 'StatementParseError':
      return new StatementParseError(location, reason);
    case 'UnrecognisedFormatError': {
      const e = new UnrecognisedFormatError(undefined);
      e.message = error.message;
      return e;
    }
    default: {
      const e = new Error(error.message);
      e.name = error.name;
      return e;
    }
  }
}

/** One file's conversation with one worker. */
class Task {
  private readonly inbox: FromWorker[] = [];
  private failure: Error | null = null;
  private notify: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private isDone = false;

  constructor(private readonly worker: Worker) {
    worker.on('message', this.onMessage);
    worker.on('error', this.onError);
    worker.on('exit', this.onExit);
  }

  start(kind: ParseKind, bytes: Uint8Array) {
    this.post({ type: 'start', kind, bytes });
  }

  post(message: ToWorker) {
    if (message.type !== 'cancel') this.arm();
    this.worker.postMessage(message);
  }

  async receive(): Promise<FromWorker> {
    for (;;) {
      const message = this.inbox.shift();
      if (message) return message;
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.notify = resolve));
    }
  }

  /** The worker answered its last message: back to the pool. */
  finish() {
    if (this.isDone) return;
    this.isDone = true;
    this.detach();
    if (this.failure) retire(this.worker);
    else release(this.worker);
  }

  /** Stops a task midway: the worker is reused once it confirms, or replaced. */
  cancel() {
    if (this.isDone || this.failure) return this.finish();
    this.worker.postMessage({ type: 'cancel' } satisfies ToWorker);
    this.arm();
    void (async () => {
      try {
        for (;;) {
          const message = await this.receive();
          if (message.type === 'end' || message.type === 'error' || message.type === 'result') break;
        }
      } catch {
        // died or stalled: finish() retires it
      }
      this.finish();
    })();
  }

  private arm() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fail(new ParseLimitError(`the file could not be read within ${settings.stallSeconds} s`)), settings.stallSeconds * 1000);
  }

  private readonly onMessage = (message: FromWorker) => {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.inbox.push(message);
    this.wake();
  };

  private readonly onError = (error: Error & { code?: string }) => {
    const memoryMb = (this.worker as Worker & { memoryMb?: number }).memoryMb;
    this.fail(
      error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new ParseLimitError(`the file needs more than ${memoryMb} MB of memory to read`)
        : new ParseLimitError(`the file could not be read (${error.message})`),
    );
  };

  private readonly onExit = () => this.fail(new ParseLimitError('the file could not be read (the parser stopped)'));

  private fail(error: Error) {
    if (this.failure) return;
    this.failure = error;
    this.detach();
    retire(this.worker);
    this.wake();
  }

  private detach() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.worker.off('message', this.onMessage);
    this.worker.off('error', this.onError);
    this.worker.off('exit', this.onExit);
  }

  private wake() {
    const notify = this.notify;
    this.notify = null;
    notify?.();
  }
}

/** Parses a bank statement or an e-invoice in a worker; parse errors are thrown as their own classes. */
export async function parseInWorker<T>(kind: 'statement' | 'einvoice', bytes: Uint8Array): Promise<T> {
  const task = new Task(await acquire());
  try {
    task.start(kind, bytes);
    const message = await task.receive();
    if (message.type === 'error') throw fromWire(message.error);
    if (message.type !== 'result') throw new Error(`parse worker answered ${message.type}`);
    return message.value as T;
  } finally {
    task.finish();
  }
}

/**
 * The rows of a CSV or XLSX, read in a worker. The worker reads one slice of rows ahead of the
 * caller and waits, so memory stays bounded whatever the file's size. Closing the generator early
 * (return) stops the worker's reading.
 */
export async function* rowsInWorker(bytes: Uint8Array): AsyncGenerator<Row> {
  const task = new Task(await acquire());
  let isFinished = false;
  try {
    task.start('rows', bytes);
    for (;;) {
      const message = await task.receive();
      if (message.type === 'rows') {
        task.post({ type: 'more' });
        yield* message.rows as Row[];
      } else if (message.type === 'error') {
        isFinished = true;
        throw fromWire(message.error);
      } else {
        isFinished = true;
        return;
      }
    }
  } finally {
    if (isFinished) task.finish();
    else task.cancel();
  }
}
