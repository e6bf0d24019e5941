import { isIsoDate, DATE_RANGE_REASON } from '../../domain/calendar';
import { isKnownCurrency } from '../../domain/money';
import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import type { Actor } from '../actor';
import type { FieldIssue } from '../app-error';
import { throwIfIssues } from '../ledger/batch';

/** Stores exchange rates (decimal strings, never floats) used to report in the organisation's currency. */
export async function setExchangeRates(options: { db: Db; actor: Actor; rates: { currency: string; date: string; rate: string }[] }): Promise<number> {
  const issues: FieldIssue[] = [];
  options.rates.forEach((r, index) => {
    if (!isKnownCurrency(r.currency)) issues.push({ index, field: 'currency', reason: 'unknown ISO 4217 currency', value: r.currency });
    if (!isIsoDate(r.date)) issues.push({ index, field: 'date', reason: DATE_RANGE_REASON, value: r.date });
    if (!/^\d{1,10}(\.\d{1,10})?$/.test(r.rate) || /^0+(\.0+)?$/.test(r.rate)) issues.push({ index, field: 'rate', reason: 'a positive decimal with at most 10 decimals', value: r.rate });
  });
  throwIfIssues(issues, 'exchange rate', options.rates.length);
  return options.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO exchange_rates (organisation_id, currency, rate_date, rate)
       SELECT $1, * FROM unnest($2::text[], $3::date[], $4::numeric[])
       ON CONFLICT (organisation_id, currency, rate_date) DO UPDATE SET rate = EXCLUDED.rate`,
      [options.actor.organisationId, options.rates.map((r) => r.currency), options.rates.map((r) => r.date), options.rates.map((r) => r.rate)],
    );
    await recordAudit(tx, options.actor, { action: 'upsert', entity: 'exchange_rate', after: options.rates });
    return options.rates.length;
  });
}
