import { randomUUID } from 'node:crypto';
import type { LimitSource } from '../../../domain/credit/limits';
import type { LegalEventKind } from '../../../domain/legal/legal-events';
import type { Db } from '../db';
import { batcher, batcherPer } from '../batcher';
import { NON_CENT_DIGITS, toBaseSql } from './ledger-queries';

export type LimitRow = {
  id: string; source: LimitSource; scope: 'customer' | 'group'; amount: number; cover_percent: string | null;
  valid_from: string; valid_until: string | null; reason: string | null; created_by_type: string; created_at: string;
};

export type CreditSnapshot = {
  customer_id: string;
  base_currency: string;
  settings: Record<string, unknown>;
  siren: string | null;
  blocked: boolean;
  segment: string | null;
  /** The customer's current risk band (A–E), null before its first score. */
  risk_band: string | null;
  group_root: string | null;
  group_name: string | null;
  group_members: number;
  /** Open receivables less unapplied cash, in minor units of the organisation currency. */
  outstanding: number;
  open_orders: number;
  /** Amounts reserved by accepted order checks whose order has not arrived yet (still in force today). */
  reserved: number;
  oldest_overdue: number | null;
  group_outstanding: number;
  group_orders: number;
  group_reserved: number;
  limits: LimitRow[];
  legal_events: { kind: LegalEventKind; published_on: string; judgment_date: string | null; cancelled: boolean }[];
  /** Dedup keys of the customer's open threshold alerts, so a check raises only a new one. */
  open_threshold_alerts: string[];
};

const LIMIT_JSON = `json_build_object('id', l.id, 'source', l.source, 'scope', l.scope, 'amount', l.amount, 'cover_percent', l.cover_percent::text,
  'valid_from', l.valid_from, 'valid_until', l.valid_until, 'reason', l.reason, 'created_by_type', l.created_by_type, 'created_at', l.created_at)`;
const LEGAL_EVENTS = `coalesce((SELECT json_agg(json_build_object('kind', e.kind, 'published_on', e.published_on, 'judgment_date', e.judgment_date, 'cancelled', e.cancelled))
  FROM legal_events e WHERE e.organisation_id = $1 AND e.siren = c.siren), '[]')`;
/** The customer (`c`) named by `match`, and whether it has subsidiaries. */
const customerCte = (match: string) => `c AS (
       SELECT id, siren, blocked, segment, risk_band, parent_id,
              EXISTS (SELECT 1 FROM customers s WHERE s.organisation_id = $1 AND s.parent_id = customers.id) AS has_subsidiaries
       FROM customers WHERE organisation_id = $1 AND ${match})`;
const OPEN_THRESHOLD_ALERTS = `coalesce((SELECT array_agg(a.dedup_key) FROM alerts a WHERE a.organisation_id = $1 AND a.customer_id = c.id AND a.kind = 'threshold' AND a.status = 'open'), '{}')`;

/**
 * Everything a credit decision needs about one customer (an order check must answer in a few
 * milliseconds): settings, open receivables and orders of the customer and of its group, oldest
 * overdue item, limits of both, legal events of its SIREN and whether it is blocked. Most
 * customers are in no group: one lean statement answers for them, and the snapshots asked for at
 * the same time are read together; a member of a group (a parent or a subsidiary) takes a
 * second, fuller one.
 */
export async function creditSnapshot(db: Db, organisationId: string, customer: string | { ref: string }, today: string): Promise<CreditSnapshot | undefined> {
  const alone = await standaloneSnapshotOn(db)({ organisationId, customer, today });
  if (!alone) return undefined;
  const { parent_id, has_subsidiaries, ...snapshot } = alone;
  if (parent_id === null && !has_subsidiaries) {
    return { ...snapshot, group_root: null, group_name: null, group_members: 1, group_outstanding: snapshot.outstanding, group_orders: snapshot.open_orders, group_reserved: snapshot.reserved };
  }
  return groupSnapshot(db, organisationId, snapshot.customer_id, today);
}

type StandaloneSnapshot = Omit<CreditSnapshot, 'group_root' | 'group_name' | 'group_members' | 'group_outstanding' | 'group_orders' | 'group_reserved'> & { parent_id: string | null; has_subsidiaries: boolean };
type SnapshotRequest = { organisationId: string; customer: string | { ref: string }; today: string };

/** Concurrent snapshot requests on one database handle go to the database together. */
const standaloneSnapshotOn = batcherPer((db: Db) =>
  batcher(async (requests: SnapshotRequest[]) => {
    // One statement per organisation, day and way of naming the customer (in practice, one).
    const groups = new Map<string, SnapshotRequest[]>();
    for (const r of requests) {
      const key = `${r.organisationId}|${r.today}|${typeof r.customer === 'string' ? 'id' : 'ref'}`;
      const group = groups.get(key);
      if (group) group.push(r);
      else groups.set(key, [r]);
    }
    const found = new Map<SnapshotRequest, StandaloneSnapshot>();
    for (const group of groups.values()) {
      const { organisationId, today } = group[0];
      const rows = await standaloneSnapshots(db, organisationId, group.map((r) => r.customer), today);
      for (const row of rows) found.set(group[row.request - 1], row);
    }
    return requests.map((r) => found.get(r));
  }, { inFlight: 1 }),
);

/** The customers' own figures, and whether each belongs to a group; `request` is the 1-based position in `customers`. */
async function standaloneSnapshots(db: Db, organisationId: string, customers: (string | { ref: string })[], today: string): Promise<(StandaloneSnapshot & { request: number })[]> {
  const byId = typeof customers[0] === 'string';
  const toBase = (amount: string, currency: string) => toBaseSql(amount, currency, 'org.base_currency', '$4');
  return db.query<StandaloneSnapshot & { request: number }>(
    `WITH org AS (SELECT base_currency, settings FROM organisations WHERE id = $1),
     r AS (SELECT DISTINCT ON (currency) currency, rate FROM exchange_rates WHERE organisation_id = $1 AND rate_date <= $3::date ORDER BY currency, rate_date DESC)
     SELECT k.request::int, c.id AS customer_id, org.base_currency, org.settings, c.siren, c.blocked, c.segment, c.risk_band, c.parent_id,
            EXISTS (SELECT 1 FROM customers s WHERE s.organisation_id = $1 AND s.parent_id = c.id) AS has_subsidiaries,
            (coalesce(inv.outstanding, 0) - coalesce(cash.unapplied, 0))::bigint AS outstanding,
            coalesce(ord.total, 0)::bigint AS open_orders, coalesce(res.total, 0)::bigint AS reserved, inv.oldest AS oldest_overdue,
            coalesce((SELECT json_agg(${LIMIT_JSON} ORDER BY l.created_at DESC, l.id) FROM credit_limits l
                      WHERE l.organisation_id = $1 AND l.customer_id = c.id AND l.scope = 'customer'), '[]') AS limits,
            ${LEGAL_EVENTS} AS legal_events,
            ${OPEN_THRESHOLD_ALERTS} AS open_threshold_alerts
     FROM json_array_elements_text($2::json) WITH ORDINALITY AS k(key, request)
     JOIN customers c ON c.organisation_id = $1 AND c.${byId ? 'id' : 'external_ref'} = k.key${byId ? '::uuid' : ''}
     CROSS JOIN org
     CROSS JOIN LATERAL (
       SELECT sum(${toBase('i.open_amount', 'i.currency')}) AS outstanding,
              max($3::date - i.due_date) FILTER (WHERE i.open_amount > 0 AND i.due_date < $3::date) AS oldest
       FROM invoices i LEFT JOIN r ON r.currency = i.currency
       WHERE i.organisation_id = $1 AND i.customer_id = c.id AND i.open_amount <> 0 AND i.status <> 'cancelled') inv
     CROSS JOIN LATERAL (
       SELECT sum(${toBase('p.unapplied_amount', 'p.currency')}) AS unapplied
       FROM payments p LEFT JOIN r ON r.currency = p.currency
       WHERE p.organisation_id = $1 AND p.customer_id = c.id AND p.unapplied_amount > 0) cash
     CROSS JOIN LATERAL (
       SELECT sum(amount_incl_tax) AS total FROM orders
       WHERE organisation_id = $1 AND customer_id = c.id AND status = 'open' AND currency = org.base_currency) ord
     CROSS JOIN LATERAL (
       SELECT sum(amount) AS total FROM order_checks
       WHERE organisation_id = $1 AND customer_id = c.id AND reserved_until > $3::date) res`,
    // A customer is named by id or, for ERPs, by its reference: one prepared statement each.
    [organisationId, JSON.stringify(customers.map((c) => (typeof c === 'string' ? c : c.ref))), today, NON_CENT_DIGITS],
    { name: byId ? 'credit_snapshots_alone_by_id_v3' : 'credit_snapshots_alone_by_ref_v3' },
  );
}

/** The snapshot of a customer in a group: its own figures and those of the parent and all its subsidiaries. */
async function groupSnapshot(db: Db, organisationId: string, customerId: string, today: string): Promise<CreditSnapshot | undefined> {
  const toBase = (amount: string, currency: string) => toBaseSql(amount, currency, '(SELECT base_currency FROM org)', '$4');
  const [row] = await db.query<CreditSnapshot>(
    `WITH org AS (SELECT base_currency, settings FROM organisations WHERE id = $1),
     ${customerCte('id = $2::uuid')},
     grp AS (SELECT coalesce(c.parent_id, CASE WHEN c.has_subsidiaries THEN c.id END) AS root FROM c),
     members AS (
       SELECT id FROM c
       UNION SELECT m.id FROM customers m, grp WHERE grp.root IS NOT NULL AND m.organisation_id = $1 AND (m.id = grp.root OR m.parent_id = grp.root)),
     r AS (SELECT DISTINCT ON (currency) currency, rate FROM exchange_rates WHERE organisation_id = $1 AND rate_date <= $3::date ORDER BY currency, rate_date DESC),
     inv AS (
       SELECT i.customer_id, sum(${toBase('i.open_amount', 'i.currency')}) AS outstanding,
              max($3::date - i.due_date) FILTER (WHERE i.open_amount > 0 AND i.due_date < $3::date) AS oldest
       FROM invoices i LEFT JOIN r ON r.currency = i.currency
       WHERE i.organisation_id = $1 AND i.customer_id IN (SELECT id FROM members) AND i.open_amount <> 0 AND i.status <> 'cancelled'
       GROUP BY 1),
     cash AS (
       SELECT p.customer_id, sum(${toBase('p.unapplied_amount', 'p.currency')}) AS unapplied
       FROM payments p LEFT JOIN r ON r.currency = p.currency
       WHERE p.organisation_id = $1 AND p.customer_id IN (SELECT id FROM members) AND p.unapplied_amount > 0
       GROUP BY 1),
     ord AS (
       SELECT customer_id, sum(amount_incl_tax) AS total FROM orders
       WHERE organisation_id = $1 AND customer_id IN (SELECT id FROM members) AND status = 'open' AND currency = (SELECT base_currency FROM org)
       GROUP BY 1),
     res AS (
       SELECT customer_id, sum(amount) AS total FROM order_checks
       WHERE organisation_id = $1 AND customer_id IN (SELECT id FROM members) AND reserved_until > $3::date
       GROUP BY 1)
     SELECT c.id AS customer_id, (SELECT base_currency FROM org) AS base_currency, (SELECT settings FROM org) AS settings,
            c.siren, c.blocked, c.segment, c.risk_band, grp.root AS group_root,
            (SELECT legal_name FROM customers WHERE organisation_id = $1 AND id = grp.root) AS group_name,
            (SELECT count(*) FROM members)::int AS group_members,
            (coalesce((SELECT sum(outstanding) FROM inv WHERE customer_id = c.id), 0) - coalesce((SELECT sum(unapplied) FROM cash WHERE customer_id = c.id), 0))::bigint AS outstanding,
            coalesce((SELECT sum(total) FROM ord WHERE customer_id = c.id), 0)::bigint AS open_orders,
            coalesce((SELECT sum(total) FROM res WHERE customer_id = c.id), 0)::bigint AS reserved,
            (SELECT oldest FROM inv WHERE customer_id = c.id) AS oldest_overdue,
            (coalesce((SELECT sum(outstanding) FROM inv), 0) - coalesce((SELECT sum(unapplied) FROM cash), 0))::bigint AS group_outstanding,
            coalesce((SELECT sum(total) FROM ord), 0)::bigint AS group_orders,
            coalesce((SELECT sum(total) FROM res), 0)::bigint AS group_reserved,
            coalesce((SELECT json_agg(${LIMIT_JSON} ORDER BY l.created_at DESC, l.id)
                      FROM credit_limits l WHERE l.organisation_id = $1 AND ((l.customer_id = c.id AND l.scope = 'customer') OR (l.customer_id = grp.root AND l.scope = 'group'))), '[]') AS limits,
            ${LEGAL_EVENTS} AS legal_events,
            ${OPEN_THRESHOLD_ALERTS} AS open_threshold_alerts
     FROM c, grp`,
    [organisationId, customerId, today, NON_CENT_DIGITS],
    { name: 'credit_snapshot_group_v2' },
  );
  return row;
}

export type OrderCheckRow = {
  organisationId: string; customerId: string; orderRef: string | null; amount: number;
  decision: 'accepted' | 'on_hold' | 'refused'; reasons: string[]; exposure: number; limit: number | null;
  /** An accepted check reserves its amount in exposure until this date (exclusive) or until its order arrives. */
  reservedUntil: string | null;
};

/**
 * Serialises credit decisions per customer group: takes, for the rest of the transaction, one
 * advisory lock per group root (a customer outside any group is its own root) of the customers
 * named, in key order so that two transactions never wait on each other crosswise. Decisions on
 * other customers go on in parallel.
 */
export async function lockCreditDecisions(db: Db, organisationId: string, customers: (string | { ref: string })[]): Promise<void> {
  const ids = customers.filter((c): c is string => typeof c === 'string');
  const refs = customers.filter((c): c is { ref: string } => typeof c !== 'string').map((c) => c.ref);
  await db.query(
    `SELECT count(pg_advisory_xact_lock(k)) FROM (
       SELECT DISTINCT hashtextextended('encours:credit:' || $1::text || ':' || root::text, 0) AS k
       FROM (
         -- Two index lookups (an OR of both would scan the customers).
         SELECT coalesce(c.parent_id, c.id) AS root FROM customers c
         WHERE c.organisation_id = $1::uuid AND c.id IN (SELECT value::uuid FROM json_array_elements_text($2::json))
         UNION ALL
         SELECT coalesce(c.parent_id, c.id) FROM customers c
         WHERE c.organisation_id = $1::uuid AND c.external_ref IN (SELECT value FROM json_array_elements_text($3::json))) named
       ORDER BY k) keys`,
    [organisationId, JSON.stringify(ids), JSON.stringify(refs)],
    { name: 'lock_credit_decisions_v2' },
  );
}

/** The orders written end the reservations of the accepted checks that named them (same customer and reference). */
export async function endReservations(db: Db, organisationId: string, orders: { number: string; customerId: string }[]): Promise<void> {
  if (orders.length === 0) return;
  await db.query(
    `UPDATE order_checks oc SET reserved_until = NULL
     FROM unnest($2::text[], $3::uuid[]) AS o(number, customer_id)
     WHERE oc.organisation_id = $1 AND oc.reserved_until IS NOT NULL AND oc.order_ref = o.number AND oc.customer_id = o.customer_id`,
    [organisationId, orders.map((o) => o.number), orders.map((o) => o.customerId)],
  );
}

/** Logs order-check decisions (held ones enter the hold queue) in one statement; their ids in the rows' order. */
export async function insertOrderChecks(db: Db, rows: OrderCheckRow[]): Promise<string[]> {
  // Ids are made here, so each caller knows its row whatever order the rows are written in.
  const ids = rows.map(() => randomUUID());
  await db.query(
    `INSERT INTO order_checks (id, organisation_id, customer_id, order_ref, amount, decision, reasons, exposure, credit_limit, hold_status, reserved_until)
     SELECT t.id, t.organisation_id, t.customer_id, t.order_ref, t.amount, t.decision, t.reasons::jsonb, t.exposure, t.credit_limit,
            CASE WHEN t.decision = 'on_hold' THEN 'held' END, t.reserved_until
     FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::date[])
       AS t(id, organisation_id, customer_id, order_ref, amount, decision, reasons, exposure, credit_limit, reserved_until)`,
    [
      ids, rows.map((r) => r.organisationId), rows.map((r) => r.customerId), rows.map((r) => r.orderRef), rows.map((r) => r.amount),
      rows.map((r) => r.decision), rows.map((r) => JSON.stringify(r.reasons)), rows.map((r) => r.exposure), rows.map((r) => r.limit),
      rows.map((r) => r.reservedUntil),
    ],
    { name: 'insert_order_checks_v3' },
  );
  return ids;
}

/** What deciding the limit in force needs of a limit. */
export type LimitTerms = Pick<LimitRow, 'source' | 'amount' | 'cover_percent' | 'valid_from' | 'valid_until' | 'reason'>;
export type ExposureRow = { customer_id: string; segment: string | null; outstanding: number; open_orders: number; reserved: number; limits: LimitTerms[] };

/**
 * Exposure of every customer with a limit of its own (or of those given), with those limits:
 * open receivables less unapplied cash, in the organisation currency, open orders in it, and the
 * amounts reserved by accepted order checks.
 * One pass over the open items, for the daily sweep of limit thresholds. The limits come as plain
 * rows (newest first), one per limit: building JSON for every limit of a large portfolio cost
 * more than the whole pass over the open items.
 */
export async function exposureOfLimitedCustomers(db: Db, organisationId: string, baseCurrency: string, today: string, customerIds?: string[]): Promise<ExposureRow[]> {
  const rows = await db.query<LimitTerms & { customer_id: string; segment: string | null; outstanding: number; open_orders: number; reserved: number }>(
    `WITH r AS (SELECT DISTINCT ON (currency) currency, rate FROM exchange_rates WHERE organisation_id = $1 AND rate_date <= $2::date ORDER BY currency, rate_date DESC),
     inv AS (
       SELECT i.customer_id, sum(${toBaseSql('i.open_amount', 'i.currency', '$3', '$4')}) AS outstanding
       FROM invoices i LEFT JOIN r ON r.currency = i.currency
       WHERE i.organisation_id = $1 AND i.open_amount <> 0 AND i.status <> 'cancelled' AND ($5::uuid[] IS NULL OR i.customer_id = ANY($5::uuid[]))
       GROUP BY 1),
     cash AS (
       SELECT p.customer_id, sum(${toBaseSql('p.unapplied_amount', 'p.currency', '$3', '$4')}) AS unapplied
       FROM payments p LEFT JOIN r ON r.currency = p.currency
       WHERE p.organisation_id = $1 AND p.unapplied_amount > 0 AND p.customer_id IS NOT NULL AND ($5::uuid[] IS NULL OR p.customer_id = ANY($5::uuid[]))
       GROUP BY 1),
     ord AS (
       SELECT customer_id, sum(amount_incl_tax) AS total FROM orders
       WHERE organisation_id = $1 AND status = 'open' AND currency = $3 AND ($5::uuid[] IS NULL OR customer_id = ANY($5::uuid[]))
       GROUP BY 1),
     res AS (
       SELECT customer_id, sum(amount) AS total FROM order_checks
       WHERE organisation_id = $1 AND reserved_until > $2::date AND ($5::uuid[] IS NULL OR customer_id = ANY($5::uuid[]))
       GROUP BY 1)
     SELECT c.id AS customer_id, c.segment,
            (coalesce(inv.outstanding, 0) - coalesce(cash.unapplied, 0))::bigint AS outstanding, coalesce(ord.total, 0)::bigint AS open_orders,
            coalesce(res.total, 0)::bigint AS reserved,
            l.source, l.amount, l.cover_percent::text AS cover_percent, l.valid_from, l.valid_until, l.reason
     FROM credit_limits l JOIN customers c ON c.organisation_id = $1 AND c.id = l.customer_id
     LEFT JOIN inv ON inv.customer_id = c.id LEFT JOIN cash ON cash.customer_id = c.id LEFT JOIN ord ON ord.customer_id = c.id LEFT JOIN res ON res.customer_id = c.id
     WHERE l.organisation_id = $1 AND l.scope = 'customer' AND l.valid_from <= $2::date AND ($5::uuid[] IS NULL OR l.customer_id = ANY($5::uuid[]))
     ORDER BY c.id, l.created_at DESC, l.id`,
    [organisationId, today, baseCurrency, NON_CENT_DIGITS, customerIds ?? null],
  );
  const byCustomer: ExposureRow[] = [];
  for (const { customer_id, segment, outstanding, open_orders, reserved, ...limit } of rows) {
    const last = byCustomer[byCustomer.length - 1];
    if (last?.customer_id === customer_id) last.limits.push(limit);
    else byCustomer.push({ customer_id, segment, outstanding, open_orders, reserved, limits: [limit] });
  }
  return byCustomer;
}
