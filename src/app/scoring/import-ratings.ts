import { isIsoDate, DATE_RANGE_REASON } from '../../domain/calendar';
import { parseAmount } from '../../domain/money';
import { providerScoreOf, toInternalScore } from '../../domain/scoring/bureau-scales';
import type { Db } from '../../infra/db/db';
import { recordAudit } from '../../infra/db/repos/audit-repo';
import { getOrganisation } from '../../infra/db/repos/identity-repo';
import type { Actor } from '../actor';
import type { FieldIssue } from '../app-error';
import { throwIfIssues } from '../ledger/batch';
import { setCreditLimit } from '../credit/set-credit-limit';
import { type CustomerKey, resolveCustomerKeys } from './customer-keys';
import { recomputeScores } from './recompute-scores';

export const RATING_PROVIDERS = ['creditsafe', 'altares', 'allianz_trade', 'coface_dra', 'paydex'] as const;
export type RatingProvider = (typeof RATING_PROVIDERS)[number];

/** A rating names its company by our customer code or, as bureau files do, by its SIREN. */
export type RatingInput = CustomerKey & {
  provider: RatingProvider;
  /** The provider's own score or grade, as it gives it ("71", "14", "4"). */
  value: string | number;
  ratedOn: string;
  /** The bureau's recommended limit, in the organisation currency. */
  recommendedLimit?: string | number | null;
  /** Credit-insurer cover (agrément) for this buyer. */
  cover?: { amount: string | number; percent: string; validUntil?: string | null } | null;
};

/**
 * Bureau and insurer data pushed by API or imported from a file: each score is mapped onto our
 * 0–100 scale and stored; a recommended limit becomes a provider limit and an insurer cover an
 * insurer limit with its quotité (a reduced cover raises an alert); the customers are rescored.
 * The batch is all or nothing, with every error named.
 */
export async function importRatings(options: { db: Db; actor: Actor; items: RatingInput[]; today: string }) {
  const { db, actor, items, today } = options;
  const currency = (await getOrganisation(db, actor.organisationId))?.base_currency ?? 'EUR';
  return db.transaction(async (tx) => {
    const customersOf = await resolveCustomerKeys(tx, actor.organisationId, items);
    const issues: FieldIssue[] = [];
    const rated = items.map((item, index) => {
      const issue = (field: string, reason: string, value?: unknown) => issues.push({ index, ref: item.customerRef ?? item.siren ?? undefined, field, reason, value });
      const customerIds = customersOf(item, index, issue, { key: `${item.provider}|${item.ratedOn}`, field: 'ratedOn', value: item.ratedOn, what: `a ${item.provider} rating of this date` });
      if (!isIsoDate(item.ratedOn)) issue('ratedOn', DATE_RANGE_REASON, item.ratedOn);
      else if (item.ratedOn > today) issue('ratedOn', 'is in the future', item.ratedOn);
      let internal: { score: number; band: string } | null = null;
      try {
        internal = toInternalScore(providerScoreOf(item.provider, item.value));
      } catch (error) {
        issue('value', (error as Error).message, item.value);
      }
      const money = (field: string, value: string | number | null | undefined) => {
        if (value === null || value === undefined || value === '') return null;
        const parsed = parseAmount(value, currency);
        if (!parsed.ok || parsed.minor < 0) {
          issue(field, parsed.ok ? 'must not be negative' : parsed.reason, value);
          return null;
        }
        return parsed.minor;
      };
      const recommended = money('recommendedLimit', item.recommendedLimit);
      const coverAmount = item.cover ? money('cover.amount', item.cover.amount) : null;
      if (item.cover && !/^\d{1,3}(\.\d{1,2})?$/.test(item.cover.percent ?? '') ) issue('cover.percent', 'a percentage such as "90" or "92.5"', item.cover.percent);
      else if (item.cover && (Number(item.cover.percent) <= 0 || Number(item.cover.percent) > 100)) issue('cover.percent', 'must be above 0 and at most 100', item.cover.percent);
      if (item.cover?.validUntil && !isIsoDate(item.cover.validUntil)) issue('cover.validUntil', DATE_RANGE_REASON, item.cover.validUntil);
      return { item, customerIds, internal, recommended, coverAmount };
    });
    throwIfIssues(issues, 'rating', items.length);
    const rows = rated.flatMap(({ customerIds, ...rest }) => customerIds.map((customerId) => ({ customerId, ...rest })));

    const written = await tx.query<{ inserted: boolean }>(
      `INSERT INTO external_ratings (organisation_id, customer_id, provider, raw_value, score, band, recommended_limit, rated_on, created_by_type, created_by)
       SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::text[], $7::bigint[], $8::date[], $9::text[], $10::uuid[])
       ON CONFLICT (organisation_id, customer_id, provider, rated_on) DO UPDATE SET raw_value = excluded.raw_value, score = excluded.score, band = excluded.band, recommended_limit = excluded.recommended_limit
       RETURNING (xmax = 0) AS inserted`,
      [
        actor.organisationId,
        rows.map((r) => r.customerId),
        rows.map((r) => r.item.provider),
        rows.map((r) => String(r.item.value).trim()),
        rows.map((r) => r.internal?.score),
        rows.map((r) => r.internal?.band),
        rows.map((r) => r.recommended),
        rows.map((r) => r.item.ratedOn),
        rows.map(() => actor.type),
        rows.map(() => actor.id),
      ],
    );
    // The provider and insurer limits in force, for the whole batch at once; kept up to date below.
    type Current = { amount: number; cover_percent: string | null; valid_from: string; valid_until: string | null };
    const current = new Map(
      (await tx.query<Current & { customer_id: string; source: string }>(
        `SELECT DISTINCT ON (customer_id, source) customer_id, source, amount, cover_percent, valid_from, valid_until FROM credit_limits
         WHERE organisation_id = $1 AND customer_id = ANY($2::uuid[]) AND scope = 'customer' AND source IN ('provider', 'insurer') AND valid_from <= $3::date
         ORDER BY customer_id, source, valid_from DESC, created_at DESC`,
        [actor.organisationId, [...new Set(rows.map((r) => r.customerId))], today],
      )).map((c) => [`${c.customer_id}|${c.source}`, c as Current]),
    );
    const replace = (key: string, next: Current) => {
      const before = current.get(key);
      if (!before || next.valid_from >= before.valid_from) current.set(key, next);
    };
    let limits = 0;
    for (const r of rows) {
      const providerKey = `${r.customerId}|provider`;
      if (r.recommended !== null && current.get(providerKey)?.amount !== r.recommended) {
        await setCreditLimit({ db: tx, actor, today, limit: { customerId: r.customerId, source: 'provider', amount: r.recommended, validFrom: r.item.ratedOn, reason: `${r.item.provider} recommended limit` } });
        replace(providerKey, { amount: r.recommended, cover_percent: null, valid_from: r.item.ratedOn, valid_until: null });
        limits++;
      }
      const cover = r.item.cover;
      const insurerKey = `${r.customerId}|insurer`;
      const insurer = current.get(insurerKey);
      if (cover && r.coverAmount !== null && (insurer?.amount !== r.coverAmount || Number(insurer?.cover_percent) !== Number(cover.percent) || (insurer?.valid_until ?? null) !== (cover.validUntil ?? null))) {
        await setCreditLimit({ db: tx, actor, today, limit: { customerId: r.customerId, source: 'insurer', amount: r.coverAmount, coverPercent: cover.percent, validFrom: r.item.ratedOn, validUntil: cover.validUntil ?? null, reason: `${r.item.provider} cover` } });
        replace(insurerKey, { amount: r.coverAmount, cover_percent: cover.percent, valid_from: r.item.ratedOn, valid_until: cover.validUntil ?? null });
        limits++;
      }
    }
    await recordAudit(tx, actor, { action: 'import', entity: 'external_rating', after: { count: rows.length, providers: [...new Set(items.map((i) => i.provider))] } });
    const scores = await recomputeScores({ db: tx, actor, asOf: today, customerIds: [...new Set(rows.map((r) => r.customerId))] });
    const inserted = written.filter((w) => w.inserted).length;
    return { stored: rows.length, inserted, updated: rows.length - inserted, limits, rescored: scores.changed, alerts: scores.alerts };
  });
}
