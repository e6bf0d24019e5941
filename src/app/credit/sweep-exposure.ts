import { effectiveLimit, exposureOf, insuredPart, insurerCover } from '../../domain/credit/limits';
import type { Db } from '../../infra/db/db';
import { type NewAlert, raiseAlerts } from '../../infra/db/repos/alerts-repo';
import { exposureOfLimitedCustomers } from '../../infra/db/repos/credit-repo';
import { getOrganisation } from '../../infra/db/repos/identity-repo';
import type { Actor } from '../actor';
import { type CreditSettings, toCreditLimit } from './credit-position';

/** The alert for the highest limit threshold a customer's exposure has crossed (one open alert per threshold). */
export function thresholdAlert(customerId: string, position: { usedPercent: number | null; thresholdsCrossed: number[]; exposure: number; limit: number }): NewAlert | null {
  const highest = position.thresholdsCrossed[position.thresholdsCrossed.length - 1];
  if (highest === undefined) return null;
  return {
    customerId,
    kind: 'threshold',
    severity: highest >= 100 ? 'critical' : highest >= 90 ? 'warning' : 'info',
    dedupKey: `threshold:${customerId}:${highest}`,
    title: `Exposure at ${position.usedPercent} % of the credit limit (threshold ${highest} %)`,
    details: { usedPercent: position.usedPercent, threshold: highest, exposure: position.exposure, limit: position.limit },
  };
}

/**
 * Compares the exposure of every customer with a limit (or of those given) with its limit in
 * force and the thresholds of its segment, and raises the threshold alerts not already open.
 * Runs daily and after invoices or orders come in: a limit is crossed by deliveries, not only
 * by the orders an ERP checks.
 */
export async function sweepExposure(options: { db: Db; actor: Actor; today: string; customerIds?: string[] }) {
  const { db, actor, today } = options;
  if (options.customerIds?.length === 0) return { customers: 0, alerts: 0 };
  const org = await getOrganisation(db, actor.organisationId);
  const settings = ((org?.settings as { credit?: CreditSettings } | undefined)?.credit ?? {}) as CreditSettings;
  const rows = await exposureOfLimitedCustomers(db, actor.organisationId, org?.base_currency ?? 'EUR', today, options.customerIds);
  const alerts: NewAlert[] = [];
  for (const row of rows) {
    const limits = row.limits.map(toCreditLimit);
    const { limit } = effectiveLimit(limits, today);
    if (!limit) continue;
    const insured = settings.deductInsured ? insuredPart(row.outstanding + row.open_orders + row.reserved, insurerCover(limits, today)) : 0;
    const thresholds = (row.segment && settings.segmentThresholds?.[row.segment]) || settings.thresholds;
    const position = exposureOf({ openReceivables: row.outstanding, openOrders: row.open_orders, reserved: row.reserved, insured, limit: limit.amount, thresholds });
    const alert = thresholdAlert(row.customer_id, { ...position, limit: limit.amount });
    if (alert) alerts.push(alert);
  }
  return { customers: rows.length, alerts: await raiseAlerts(db, actor.organisationId, alerts) };
}
