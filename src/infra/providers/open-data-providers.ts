/**
 * French open-data providers, free and keyless: the API Recherche d'entreprises (DINUM) for a
 * company's identity and state, and BODACC annonces commerciales (DILA, on Opendatasoft) for legal
 * notices. Base URLs come from the environment so tests and mirrors can stand in.
 */
import type { CompanyDataProviders, ProviderAnswer, ProviderCall } from '../../app/companies/company-data-providers';
import { type BodaccNotice, noticesFromResponse } from '../../formats/company-data/bodacc';
import { companyFromSearch } from '../../formats/company-data/recherche-entreprises';
import { type PoliteHttpOptions, politeHttp } from './polite-http';

export const DEFAULT_RECHERCHE_ENTREPRISES_URL = 'https://recherche-entreprises.api.gouv.fr';
export const DEFAULT_BODACC_URL = 'https://bodacc-datadila.opendatasoft.com/api/explore/v2.1';

export type OpenDataOptions = {
  rechercheEntreprisesUrl?: string;
  bodaccUrl?: string;
  http?: Omit<PoliteHttpOptions, 'provider'>;
};

async function answer<T>(provider: string, operation: string, subject: string, work: () => Promise<{ data: T | null; httpStatus: number }>): Promise<ProviderAnswer<T>> {
  const calledAt = new Date();
  const started = performance.now();
  const call = (fields: Partial<ProviderCall>): ProviderCall => ({
    provider, operation, subject, status: 'ok', httpStatus: null, durationMs: Math.round(performance.now() - started), cost: 0, error: null, calledAt, ...fields,
  });
  try {
    const { data, httpStatus } = await work();
    return { data, call: call({ status: data === null ? 'not_found' : 'ok', httpStatus }) };
  } catch (error) {
    const status = (error as { status?: number | null }).status ?? null;
    return { data: null, call: call({ status: 'error', httpStatus: status, error: error instanceof Error ? error.message : String(error) }) };
  }
}

export function openDataProviders(options: OpenDataOptions = {}): CompanyDataProviders {
  const rechercheUrl = (options.rechercheEntreprisesUrl ?? DEFAULT_RECHERCHE_ENTREPRISES_URL).replace(/\/$/, '');
  const bodaccUrl = (options.bodaccUrl ?? DEFAULT_BODACC_URL).replace(/\/$/, '');
  // Published limits: 7 requests/s for Recherche d'entreprises; Opendatasoft is generous but shared.
  const recherche = politeHttp({ minIntervalMs: 150, ...options.http, provider: 'recherche-entreprises' });
  const bodacc = politeHttp({ minIntervalMs: 200, ...options.http, provider: 'bodacc' });

  return {
    identity: {
      id: 'recherche-entreprises',
      lookup: (siren) =>
        answer('recherche-entreprises', 'lookup', siren, async () => {
          const { status, body } = await recherche.getJson(`${rechercheUrl}/search?q=${encodeURIComponent(siren)}&page=1&per_page=5`);
          return { data: body === null ? null : companyFromSearch(body, siren), httpStatus: status };
        }),
    },
    legal: {
      id: 'bodacc',
      notices: (siren) =>
        answer('bodacc', 'notices', siren, async () => {
          // Pages of 100, newest first; a company rarely has more than a few dozen notices.
          const all: BodaccNotice[] = [];
          let status = 200;
          for (let offset = 0; offset < 1000; offset += 100) {
            const where = encodeURIComponent(`registre like "%${siren}%"`);
            const page = await bodacc.getJson(`${bodaccUrl}/catalog/datasets/annonces-commerciales/records?where=${where}&order_by=dateparution%20desc&limit=100&offset=${offset}`);
            status = page.status;
            if (page.body === null) break;
            const { notices, total } = noticesFromResponse(page.body);
            all.push(...notices.filter((n) => n.sirens.length === 0 || n.sirens.includes(siren)));
            if (notices.length < 100 || offset + 100 >= total) break;
          }
          return { data: all, httpStatus: status };
        }),
    },
  };
}
