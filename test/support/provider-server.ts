/**
 * A local HTTP server standing in for the French open-data APIs: it answers with the recorded
 * real responses of shared/data/fr-company-legal (API Recherche d'entreprises search results,
 * BODACC annonces-commerciales records), plus any response a test adds, and can fail on purpose.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const COMPANY_DATA = join(process.cwd(), '../shared/data/fr-company-legal');

export type ProviderServer = {
  url: string;
  requests: string[];
  /** Adds or replaces the BODACC answer for a SIREN. */
  setBodacc(siren: string, body: unknown): void;
  /** The next `count` requests whose path starts with `prefix` answer `status`. */
  failNext(prefix: string, count: number, status: number, headers?: Record<string, string>): void;
  close(): Promise<void>;
};

export async function startProviderServer(): Promise<ProviderServer> {
  const searches = new Map<string, unknown>();
  for (const file of readdirSync(join(COMPANY_DATA, 'recherche-entreprises-api'))) {
    const recorded = JSON.parse(readFileSync(join(COMPANY_DATA, 'recherche-entreprises-api', file), 'utf8')) as { searchTerms: string; result: unknown };
    searches.set(recorded.searchTerms, recorded.result);
  }
  const bodacc = new Map<string, unknown>([['880878145', JSON.parse(readFileSync(join(COMPANY_DATA, 'bodacc/ods-api-v1-annonces-commerciales__880878145.json'), 'utf8'))]]);
  const failures: { prefix: string; count: number; status: number; headers: Record<string, string> }[] = [];
  const requests: string[] = [];

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${url.pathname}${url.search}`);
    const failure = failures.find((f) => f.count > 0 && url.pathname.startsWith(f.prefix));
    if (failure) {
      failure.count--;
      res.writeHead(failure.status, failure.headers).end('{"error":"induced"}');
      return;
    }
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/search') {
      const q = url.searchParams.get('q') ?? '';
      // The real API finds a company by its SIREN whatever the recorded search was (a SIRET here and there).
      const bySiren = [...searches.values()].flatMap((r) => (r as { results: { siren: string }[] }).results).filter((c) => c.siren === q);
      const found = searches.get(q) ?? (bySiren.length > 0 ? { results: bySiren.slice(0, 1), total_results: 1, page: 1, per_page: 10, total_pages: 1 } : null);
      return send(200, found ?? { results: [], total_results: 0, page: 1, per_page: 10, total_pages: 0 });
    }
    if (url.pathname === '/catalog/datasets/annonces-commerciales/records') {
      const siren = /%(\d{9})%/.exec(url.searchParams.get('where') ?? '')?.[1];
      return send(200, (siren && bodacc.get(siren)) ?? { total_count: 0, results: [] });
    }
    send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setBodacc: (siren, body) => bodacc.set(siren, body),
    failNext: (prefix, count, status, headers = {}) => failures.push({ prefix, count, status, headers }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
