import type { Db } from '../../infra/db/db';
import type { Actor } from '../actor';
import { sweepExposure } from '../credit/sweep-exposure';
import { recomputeScores } from './recompute-scores';

/**
 * After invoices or payments came in: rescore the customers concerned (all when not given) and
 * check their exposure against their limit thresholds, so scores and alerts follow the ledger
 * without waiting for the daily recompute.
 */
export async function refreshRisk(options: { db: Db; actor: Actor; today: string; customerIds?: string[] }) {
  const { db, actor, today, customerIds } = options;
  if (customerIds?.length === 0) return { rescored: 0, alerts: 0 };
  const scores = await recomputeScores({ db, actor, asOf: today, customerIds });
  const exposure = await sweepExposure({ db, actor, today, customerIds });
  return { rescored: scores.changed, alerts: scores.alerts + exposure.alerts };
}
