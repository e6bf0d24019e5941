/**
 * The one interface behind which company data providers sit (issue #4 §1): French open data today
 * (Recherche d'entreprises for identity and state, BODACC for legal events), paid APIs such as
 * Creditsafe Connect, Pappers or Allianz Trade later. Every call is reported with its source,
 * time, duration, outcome and cost so it can be recorded and its freshness known.
 */
import type { BodaccNotice } from '../../formats/company-data/bodacc';
import type { CompanyProfile } from '../../formats/company-data/recherche-entreprises';

export type ProviderCall = {
  provider: string;
  operation: string;
  subject: string;
  status: 'ok' | 'not_found' | 'error';
  httpStatus: number | null;
  durationMs: number;
  /** What the call cost, in the organisation's minor units (0 for open data). */
  cost: number;
  error: string | null;
  calledAt: Date;
};
export type ProviderAnswer<T> = { data: T | null; call: ProviderCall };

/** A bureau's view of a company, once a paid provider is plugged in. */
export type ProviderRating = { provider: string; score: string | null; grade: string | null; recommendedLimit: string | null; currency: string | null; ratedOn: string };

export type CompanyDataProviders = {
  identity?: { id: string; lookup(siren: string): Promise<ProviderAnswer<CompanyProfile>> };
  legal?: { id: string; notices(siren: string): Promise<ProviderAnswer<BodaccNotice[]>> };
  rating?: { id: string; rating(siren: string): Promise<ProviderAnswer<ProviderRating>> };
};
