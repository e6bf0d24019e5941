/** Shapes of the API responses the web app reads (see /api/openapi.json). Amounts are decimal strings. */
export type Role = 'admin' | 'credit_manager' | 'collector' | 'sales' | 'viewer';
export type Me = { id: string; email: string; name: string; role: Role; locale: 'fr' | 'en' | null; organisation: { id: string; name: string; baseCurrency: string } };
export type Page<T> = { items: T[]; nextCursor: string | null };

export type CustomerSummary = {
  id: string; externalRef: string; legalName: string; siren: string | null; country: string; city: string | null;
  segment: string | null; currency: string | null; outstanding: string; overdue: string; exposure: string; openInvoiceCount: number;
  riskScore: number | null; riskBand: 'A' | 'B' | 'C' | 'D' | 'E' | null;
};
export type Customer = CustomerSummary & {
  siret: string | null; vatNumber: string | null; lei: string | null; addressLine1: string | null; addressLine2: string | null;
  postalCode: string | null; activityCode: string | null; paymentTermsDays: number | null; tags: string[];
  parent: { id: string; legalName: string } | null; subsidiaries: { id: string; legalName: string }[];
  collector: { id: string; name: string } | null;
  contacts: { id: string; name: string; email: string | null; phone: string | null; role: string | null; isPrimary: boolean }[];
};
export type Invoice = {
  id: string; number: string; kind: 'invoice' | 'credit_note'; customerId: string; customerName: string; issueDate: string; dueDate: string;
  currency: string; totalExclTax: string; totalInclTax: string; openAmount: string; status: 'open' | 'paid' | 'cancelled';
  isDisputed: boolean; paidDate: string | null; daysPastDue: number;
};
export type Payment = {
  id: string; reference: string; customerId: string | null; customerName: string | null; receivedDate: string; currency: string;
  amount: string; unappliedAmount: string; method: string | null; allocations: { invoiceId: string; invoiceNumber: string; amount: string }[];
};
export type Aging = { asOf: string; currency: string; buckets: { key: string; fromDays: number | null; toDays: number | null; amount: string }[]; total: string; overdue: string; credits: string; unconvertedCurrencies: string[] };
export type Kpis = {
  asOf: string; currency: string; outstanding: string; overdue: string; overdueShare: number | null;
  dso: { countback: number | null; countbackIsBeyondHorizon: boolean; simple: number | null; bestPossible: number | null; averageDaysDelinquent: number | null };
  cei: number | null; daysToPay: { average: number | null; weighted: number | null; weightedLate: number | null; paidInvoiceCount: number };
};
export type Trends = { currency: string; points: { date: string; outstanding: string; overdue: string; dsoCountback: number | null; dsoSimple: number | null }[] };
export type TopOverdue = { asOf: string; currency: string; items: { customerId: string; legalName: string; outstanding: string; overdue: string; oldestDaysPastDue: number }[] };
export type Behaviour = {
  weightedDaysLate3m: number | null; weightedDaysLate6m?: number | null; weightedDaysLate12m: number | null; shareLate: number | null;
  maxDaysOverdue: number; dso?: number | null; disputedShare?: number | null; partialPayments?: number; brokenPromises?: number;
};
export type ScoreEntry = { score: number; band: 'A' | 'B' | 'C' | 'D' | 'E'; reasons: string[]; behaviour: Behaviour | null; policyVersion: string; asOf: string; computedAt: string };
