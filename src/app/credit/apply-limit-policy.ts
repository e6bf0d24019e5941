import { type LimitPolicy, policyLimit } from '../../domain/credit/limits';
import type { Band } from '../../domain/scoring/bureau-scales';
import type { Db } from '../../infra/db/db';
import { getOrganisation } from '../../infra/db/repos/identity-repo';
import type { Actor } from '../actor';
import { setCreditLimit } from './set-credit-limit';

/**
 * Sets policy limits from each customer's latest accounts (equity, turnover) and its risk band
 * (domain-rules.md §4.2). A new policy limit is written only when the amount changes; customers
 * without a band or accounts are skipped (a band D/E customer gets 0 whatever its accounts).
 */
export async function applyLimitPolicy(options: { db: Db; actor: Actor; today: string; customerIds?: string[] }) {
  const { db, actor } = options;
  const org = await getOrganisation(db, actor.organisationId);
  const policy = (org?.settings as { credit?: { limitPolicy?: LimitPolicy } })?.credit?.limitPolicy;
  const rows = await db.query<{ id: string; risk_band: Band; figures: { equity?: number; revenue?: number } | null; currency: string | null; current: number | null; current_from: string | null }>(
    `SELECT c.id, c.risk_band, fs.figures, fs.currency,
            (SELECT amount FROM credit_limits l WHERE l.organisation_id = c.organisation_id AND l.customer_id = c.id AND l.source = 'policy' AND l.scope = 'customer' ORDER BY valid_from DESC, created_at DESC LIMIT 1) AS current
     FROM customers c
     LEFT JOIN LATERAL (SELECT figures, currency FROM financial_statements f WHERE f.organisation_id = c.organisation_id AND f.customer_id = c.id AND f.fiscal_year_end <= $3::date ORDER BY fiscal_year_end DESC LIMIT 1) fs ON true
     WHERE c.organisation_id = $1 AND c.risk_band IS NOT NULL AND ($2::uuid[] IS NULL OR c.id = ANY($2::uuid[]))`,
    [actor.organisationId, options.customerIds ?? null, options.today],
  );
  let changed = 0;
  let skipped = 0;
  for (const r of rows) {
    // Accounts in another currency than the organisation's are not converted by guesswork.
    const comparable = r.currency === null || r.currency === (org?.base_currency ?? 'EUR');
    const proposal = !comparable ? null : policyLimit({ band: r.risk_band, equity: r.figures?.equity ?? null, revenue: r.figures?.revenue ?? null, policy });
    if (!proposal) {
      skipped++;
      continue;
    }
    if (r.current === proposal.amount) continue;
    await setCreditLimit({ db, actor, today: options.today, limit: { customerId: r.id, source: 'policy', amount: proposal.amount, validFrom: options.today, reason: proposal.reason } });
    changed++;
  }
  return { examined: rows.length, changed, skipped };
}
