/**
 * A polite JSON-over-HTTP client for public data providers: at most one request every
 * `minIntervalMs` (their published rate limits), a timeout, and retries with exponential backoff on
 * network errors, 429 and 5xx (honouring Retry-After). Only this module talks to the network.
 */
export class ProviderHttpError extends Error {
  constructor(
    readonly provider: string,
    readonly status: number | null,
    message: string,
  ) {
    super(`${provider}: ${message}`);
  }
}

export type PoliteHttp = {
  provider: string;
  /** GET a JSON document; 404 answers null. Returns the HTTP status alongside. */
  getJson(url: string): Promise<{ status: number; body: unknown | null }>;
};

export type PoliteHttpOptions = {
  provider: string;
  minIntervalMs?: number;
  timeoutMs?: number;
  retries?: number;
  baseDelayMs?: number;
  userAgent?: string;
  fetch?: typeof fetch;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function politeHttp(options: PoliteHttpOptions): PoliteHttp {
  const { provider } = options;
  const minInterval = options.minIntervalMs ?? 200;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 3;
  const baseDelay = options.baseDelayMs ?? 500;
  const doFetch = options.fetch ?? fetch;
  // Requests queue behind each other so the interval holds across concurrent callers.
  let nextSlot = 0;
  const takeSlot = async () => {
    const now = Date.now();
    const at = Math.max(now, nextSlot);
    nextSlot = at + minInterval;
    if (at > now) await sleep(at - now);
  };

  async function getJson(url: string) {
    let lastError = 'no attempt';
    let lastStatus: number | null = null;
    for (let attempt = 0; attempt <= retries; attempt++) {
      await takeSlot();
      let response: Response;
      try {
        response = await doFetch(url, {
          headers: { accept: 'application/json', 'user-agent': options.userAgent ?? 'Encours credit-risk (+https://github.com/encours)' },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        lastError = error instanceof Error ? (error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : error.message) : String(error);
        lastStatus = null;
        if (attempt < retries) await sleep(baseDelay * 2 ** attempt);
        continue;
      }
      if (response.status === 404) return { status: 404, body: null };
      if (response.ok) {
        const text = await response.text();
        try {
          return { status: response.status, body: JSON.parse(text) as unknown };
        } catch {
          throw new ProviderHttpError(provider, response.status, `answered ${response.status} with a body that is not JSON`);
        }
      }
      lastStatus = response.status;
      lastError = `HTTP ${response.status}`;
      await response.body?.cancel();
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable || attempt === retries) break;
      const retryAfter = Number(response.headers.get('retry-after'));
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : baseDelay * 2 ** attempt);
    }
    throw new ProviderHttpError(provider, lastStatus, `${lastError} after ${retries + 1} attempts`);
  }
  return { provider, getJson };
}
