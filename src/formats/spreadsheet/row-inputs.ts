/** One spreadsheet row → the API input of its entity, or the cells that are wrong and why. */
import type { CustomerInput, InvoiceInput, OrderInput } from '../../contract/ledger';
import type { CustomerKey } from '../../app/scoring/customer-keys';
import { type ProviderName, providerFromName } from '../../domain/scoring/bureau-scales';
import type { ColumnMapping, Entity } from './columns';
import { INVALID, parseBooleanCell, parseDateCell, parseDecimalCell, parseKindCell, parsePercentCell } from './values';

export type CellIssue = { field: string; value: unknown; reason: string };
export type PaymentRowInput = { reference: string; customerRef: string | null; receivedDate: string; currency: string; amount: string; method: string | null; invoiceNumber: string | null };
export type RowInput =
  | { entity: 'customers'; input: CustomerInput }
  | { entity: 'invoices'; input: InvoiceInput }
  | { entity: 'payments'; input: PaymentRowInput }
  | { entity: 'orders'; input: OrderInput }
  | { entity: 'ratings'; input: RatingRowInput }
  | { entity: 'financials'; input: FinancialsRowInput };
export type RatingRowInput = CustomerKey & {
  provider: ProviderName;
  value: string;
  ratedOn: string;
  recommendedLimit: string | null;
  cover: { amount: string; percent: string; validUntil: string | null } | null;
};
export type FinancialsRowInput = CustomerKey & { fiscalYearEnd: string; currency: string; source: string | null; figures: Record<string, string | null> };

const FIGURES = [
  'totalAssets', 'currentAssets', 'currentLiabilities', 'totalLiabilities', 'equity', 'inventories', 'cash', 'longTermDebt', 'financialDebt',
  'retainedEarnings', 'operatingIncome', 'ebitda', 'revenue', 'interestExpense', 'staffCosts', 'valueAdded', 'tradePayables', 'purchases',
];

type Reader = {
  text(field: string): string | null;
  date(field: string, isRequired: boolean): string | null;
  amount(field: string, isRequired: boolean): string | null;
  percent(field: string, isRequired: boolean): string | null;
  raw(field: string): unknown;
};

function readerOf(cells: unknown[], mapping: ColumnMapping, issues: CellIssue[], options: { decimalComma: boolean }): Reader {
  const raw = (field: string) => (field in mapping ? cells[mapping[field]] : undefined);
  const text = (field: string) => {
    const v = raw(field);
    if (v === undefined || v === null) return null;
    const s = v instanceof Date ? v.toISOString().slice(0, 10) : String(v).trim();
    return s === '' ? null : s;
  };
  return {
    raw,
    text,
    date(field, isRequired) {
      const v = raw(field);
      const parsed = parseDateCell(v);
      if (parsed === INVALID) issues.push({ field, value: v, reason: 'not a date (expected dd/mm/yyyy or yyyy-mm-dd)' });
      else if (parsed === null && isRequired) issues.push({ field, value: v ?? '', reason: 'is required' });
      return parsed === INVALID ? null : parsed;
    },
    amount(field, isRequired) {
      const v = raw(field);
      const parsed = parseDecimalCell(v, options);
      if (parsed === INVALID) issues.push({ field, value: v, reason: 'not an amount' });
      else if (parsed === null && isRequired) issues.push({ field, value: v ?? '', reason: 'is required' });
      return parsed === INVALID ? null : parsed;
    },
    percent(field, isRequired) {
      const v = raw(field);
      const parsed = parsePercentCell(v, options);
      if (parsed === INVALID) issues.push({ field, value: v, reason: 'not a percentage' });
      else if (parsed === null && isRequired) issues.push({ field, value: v ?? '', reason: 'is required' });
      return parsed === INVALID ? null : parsed;
    },
  };
}

export function rowInput(options: {
  entity: Entity;
  cells: unknown[];
  mapping: ColumnMapping;
  decimalComma: boolean;
  defaultCurrency: string;
  /** For ratings without a provider column: the provider the score column's header names ("Score Creditsafe"). */
  defaultProvider?: ProviderName | null;
}): { row?: RowInput; issues: CellIssue[] } {
  const issues: CellIssue[] = [];
  const r = readerOf(options.cells, options.mapping, issues, { decimalComma: options.decimalComma });
  const required = (field: string) => {
    const v = r.text(field);
    if (!v) issues.push({ field, value: r.raw(field) ?? '', reason: 'is required' });
    return v ?? '';
  };
  const currency = (r.text('currency') ?? options.defaultCurrency).toUpperCase();
  switch (options.entity) {
    case 'customers': {
      const terms = r.text('paymentTermsDays');
      const termsDays = terms === null ? null : Number.parseInt(terms, 10);
      if (terms !== null && !Number.isInteger(termsDays)) issues.push({ field: 'paymentTermsDays', value: terms, reason: 'not a number of days' });
      const input: CustomerInput = {
        externalRef: required('externalRef'),
        legalName: required('legalName'),
        siren: r.text('siren'),
        siret: r.text('siret'),
        vatNumber: r.text('vatNumber'),
        lei: r.text('lei'),
        country: (r.text('country') ?? 'FR').toUpperCase().slice(0, 2),
        addressLine1: r.text('addressLine1'),
        addressLine2: r.text('addressLine2'),
        postalCode: r.text('postalCode'),
        city: r.text('city'),
        parentRef: r.text('parentRef'),
        segment: r.text('segment'),
        activityCode: r.text('activityCode'),
        paymentTermsDays: termsDays,
        currency: r.text('currency'),
        collectorEmail: r.text('collectorEmail'),
      };
      return issues.length ? { issues } : { row: { entity: 'customers', input }, issues };
    }
    case 'invoices': {
      const gross = r.amount('totalInclTax', true);
      // Aged-balance exports often carry only the amount incl. tax.
      const net = r.amount('totalExclTax', false) ?? gross;
      const input: InvoiceInput = {
        number: required('number'),
        customerRef: required('customerRef'),
        kind: parseKindCell(r.raw('kind')),
        issueDate: r.date('issueDate', true) ?? '',
        dueDate: r.date('dueDate', true) ?? '',
        currency,
        totalExclTax: net ?? '0',
        totalInclTax: gross ?? '0',
        isDisputed: parseBooleanCell(r.raw('isDisputed')),
        orderNumber: r.text('orderNumber'),
      };
      return issues.length ? { issues } : { row: { entity: 'invoices', input }, issues };
    }
    case 'payments': {
      const input: PaymentRowInput = {
        reference: required('reference'),
        customerRef: r.text('customerRef'),
        receivedDate: r.date('receivedDate', true) ?? '',
        currency,
        amount: r.amount('amount', true) ?? '0',
        method: r.text('method'),
        invoiceNumber: r.text('invoiceNumber'),
      };
      return issues.length ? { issues } : { row: { entity: 'payments', input }, issues };
    }
    case 'orders': {
      const status = (r.text('status') ?? 'open').toLowerCase();
      const input: OrderInput = {
        number: required('number'),
        customerRef: required('customerRef'),
        orderDate: r.date('orderDate', true) ?? '',
        expectedInvoiceDate: r.date('expectedInvoiceDate', false),
        currency,
        amountInclTax: r.amount('amountInclTax', true) ?? '0',
        status: /factur|invoic/.test(status) ? 'invoiced' : /annul|cancel/.test(status) ? 'cancelled' : 'open',
      };
      return issues.length ? { issues } : { row: { entity: 'orders', input }, issues };
    }
    case 'ratings': {
      const named = r.text('provider');
      const provider = named ? providerFromName(named) : (options.defaultProvider ?? null);
      if (!provider) issues.push({ field: 'provider', value: named ?? '', reason: named ? 'unknown provider (Creditsafe, Altares, Allianz Trade, Coface, Paydex)' : 'is required (a provider column, or a score column named after its provider such as "Score Creditsafe")' });
      const value = r.text('value');
      if (!value) issues.push({ field: 'value', value: '', reason: 'is required' });
      const ratedOn = r.date('ratedOn', true);
      const coverAmount = r.amount('coverAmount', false);
      const percent = r.percent('coverPercent', coverAmount !== null);
      const input: RatingRowInput = {
        customerRef: r.text('customerRef'),
        siren: r.text('siren'),
        provider: provider ?? 'creditsafe',
        value: value ?? '',
        ratedOn: ratedOn ?? '',
        recommendedLimit: r.amount('recommendedLimit', false),
        cover: coverAmount !== null ? { amount: coverAmount, percent: percent ?? '', validUntil: r.date('coverValidUntil', false) } : null,
      };
      return issues.length ? { issues } : { row: { entity: 'ratings', input }, issues };
    }
    case 'financials': {
      const input: FinancialsRowInput = {
        customerRef: r.text('customerRef'),
        siren: r.text('siren'),
        fiscalYearEnd: r.date('fiscalYearEnd', true) ?? '',
        currency,
        source: r.text('source') ?? 'import',
        figures: Object.fromEntries(FIGURES.filter((f) => f in options.mapping).map((f) => [f, r.amount(f, false)])),
      };
      return issues.length ? { issues } : { row: { entity: 'financials', input }, issues };
    }
  }
}
