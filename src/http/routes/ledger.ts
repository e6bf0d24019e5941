import { z } from 'zod';
import { AppError, notFound } from '../../app/app-error';
import { upsertCustomers } from '../../app/ledger/upsert-customers';
import { upsertInvoices } from '../../app/ledger/upsert-invoices';
import { upsertOrders } from '../../app/ledger/upsert-orders';
import { upsertPayments } from '../../app/ledger/upsert-payments';
import { addContact } from '../../app/ledger/add-contact';
import { sweepExposure } from '../../app/credit/sweep-exposure';
import { refreshRisk } from '../../app/scoring/refresh-risk';
import { releaseHeldOrders } from '../../app/credit/release-held-orders';
import { recomputeScores } from '../../app/scoring/recompute-scores';
import { findCustomerIdsByInvoiceNumbers, findCustomerIdsByRef } from '../../infra/db/repos/customers-repo';
import { BulkResult, ListQuery, Page, Problem, Uuid } from '../../contract/common';
import {
  BulkBody,
  Contact,
  ContactInput,
  Customer,
  CustomerInput,
  CustomerSummary,
  Invoice,
  InvoiceInput,
  Order,
  OrderInput,
  Payment,
  PaymentInput,
} from '../../contract/ledger';
import { formatAmount, parseAmount } from '../../domain/money';
import { getOrganisation } from '../../infra/db/repos/identity-repo';
import {
  type CustomerSummaryRow,
  getCustomer,
  type InvoiceRow,
  listCustomers,
  listInvoices,
  listOrders,
  listPayments,
  listSegments,
  type OrderRow,
  type PaymentRow,
} from '../../infra/db/repos/ledger-queries';
import type { Api } from '../api';
import { actorOf } from '../plugins/auth';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };

export function customerSummaryOut(row: CustomerSummaryRow, baseCurrency: string) {
  return {
    id: row.id,
    externalRef: row.external_ref,
    legalName: row.legal_name,
    siren: row.siren,
    country: row.country,
    city: row.city,
    segment: row.segment,
    currency: row.currency,
    outstanding: formatAmount(row.outstanding, baseCurrency),
    overdue: formatAmount(row.overdue, baseCurrency),
    exposure: formatAmount(row.exposure, baseCurrency),
    openInvoiceCount: row.open_invoice_count,
    riskScore: row.risk_score,
    riskBand: (row.risk_band as 'A' | null) ?? null,
  };
}

export const invoiceOut = (r: InvoiceRow) => ({
  id: r.id,
  number: r.number,
  kind: r.kind,
  customerId: r.customer_id,
  customerName: r.customer_name,
  issueDate: r.issue_date,
  dueDate: r.due_date,
  currency: r.currency,
  totalExclTax: formatAmount(r.total_excl_tax, r.currency),
  totalInclTax: formatAmount(r.total_incl_tax, r.currency),
  openAmount: formatAmount(r.open_amount, r.currency),
  status: r.status,
  isDisputed: r.is_disputed,
  paidDate: r.paid_date,
  daysPastDue: r.days_past_due,
});

const paymentOut = (r: PaymentRow) => ({
  id: r.id,
  reference: r.reference,
  customerId: r.customer_id,
  customerName: r.customer_name,
  receivedDate: r.received_date,
  currency: r.currency,
  amount: formatAmount(r.amount, r.currency),
  unappliedAmount: formatAmount(r.unapplied_amount, r.currency),
  method: r.method,
  allocations: r.allocations.map((a) => ({ invoiceId: a.invoiceId, invoiceNumber: a.invoiceNumber, amount: formatAmount(Number(a.amount), r.currency) })),
});

const orderOut = (r: OrderRow) => ({
  id: r.id,
  number: r.number,
  customerId: r.customer_id,
  customerName: r.customer_name,
  orderDate: r.order_date,
  expectedInvoiceDate: r.expected_invoice_date,
  currency: r.currency,
  amountInclTax: formatAmount(r.amount_incl_tax, r.currency),
  status: r.status,
});

export async function baseCurrencyOf(api: Api, organisationId: string): Promise<string> {
  const org = await getOrganisation(api.ctx.db, organisationId);
  if (!org) throw notFound('organisation');
  return org.base_currency;
}

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export function ledgerRoutes(api: Api) {
  const { db, clock } = api.ctx;

  api.get(
    '/api/v1/customers',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['customers'],
        summary: 'List customers with their outstanding and overdue in the organisation currency',
        querystring: ListQuery.extend({
          search: z.string().max(200).optional(),
          segment: z.string().max(100).optional(),
          collectorId: Uuid.optional(),
          parentId: Uuid.optional(),
          hasOverdue: booleanQuery.optional(),
          band: z.string().regex(/^[A-E](,[A-E])*$/).optional().describe('Risk bands, e.g. D,E'),
          minScore: z.coerce.number().int().min(0).max(100).optional(),
          maxScore: z.coerce.number().int().min(0).max(100).optional(),
          minExposure: z.string().regex(/^\d+(\.\d+)?$/).optional().describe('Open receivables + orders not invoiced, at least this amount (organisation currency)'),
          sort: z.enum(['legalName', '-legalName', 'outstanding', '-outstanding', 'overdue', '-overdue', 'exposure', '-exposure', 'riskScore', '-riskScore']).default('legalName'),
        }),
        response: { 200: Page(CustomerSummary), ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const baseCurrency = await baseCurrencyOf(api, actor.organisationId);
      const { band, minExposure, ...query } = request.query;
      const exposure = minExposure === undefined ? undefined : parseAmount(minExposure, baseCurrency);
      if (exposure && !exposure.ok) throw new AppError('validation_failed', 'invalid amount', [{ field: 'minExposure', reason: exposure.reason, value: minExposure }]);
      const page = await listCustomers(db, { organisationId: actor.organisationId, baseCurrency, today: clock.today(), ...query, bands: band?.split(','), minExposure: exposure?.ok ? exposure.minor : undefined });
      return { items: page.items.map((r) => customerSummaryOut(r, baseCurrency)), nextCursor: page.nextCursor };
    },
  );

  api.get(
    '/api/v1/customers/segments',
    { config: { permission: 'ledger:read' }, schema: { tags: ['customers'], summary: 'Segments in use', response: { 200: z.object({ items: z.array(z.string()) }) } } },
    async (request) => ({ items: await listSegments(db, actorOf(request).organisationId) }),
  );

  api.get(
    '/api/v1/customers/:id',
    {
      config: { permission: 'ledger:read' },
      schema: { tags: ['customers'], summary: 'One customer with identity, group, contacts and balances', params: z.object({ id: Uuid }), response: { 200: Customer, ...errors } },
    },
    async (request) => {
      const actor = actorOf(request);
      const baseCurrency = await baseCurrencyOf(api, actor.organisationId);
      const found = await getCustomer(db, { organisationId: actor.organisationId, baseCurrency, today: clock.today(), id: request.params.id });
      if (!found) throw notFound('customer');
      const { summary, detail, subsidiaries, contacts } = found;
      return {
        ...customerSummaryOut(summary, baseCurrency),
        siret: detail.siret,
        vatNumber: detail.vat_number,
        lei: detail.lei,
        addressLine1: detail.address_line1,
        addressLine2: detail.address_line2,
        postalCode: detail.postal_code,
        activityCode: detail.activity_code,
        paymentTermsDays: detail.payment_terms_days,
        tags: detail.tags,
        parent: detail.parent_id ? { id: detail.parent_id, legalName: detail.parent_name as string } : null,
        subsidiaries: subsidiaries.map((s) => ({ id: s.id, legalName: s.legal_name })),
        collector: detail.collector_id ? { id: detail.collector_id, name: detail.collector_name as string } : null,
        contacts: contacts.map((c) => ({ id: c.id, name: c.name, email: c.email, phone: c.phone, role: c.role, isPrimary: c.is_primary })),
        createdAt: detail.created_at.toISOString(),
        updatedAt: detail.updated_at.toISOString(),
      };
    },
  );

  api.put(
    '/api/v1/customers',
    {
      config: { permission: 'ledger:write' },
      schema: { tags: ['customers'], summary: 'Create or update one customer by externalRef', body: CustomerInput, response: { 200: BulkResult, ...errors } },
    },
    async (request) => upsertCustomers({ db, actor: actorOf(request), items: [request.body] }),
  );

  api.post(
    '/api/v1/customers/:id/contacts',
    {
      config: { permission: 'contacts:write' },
      schema: { tags: ['customers'], summary: 'Add a contact to a customer', params: z.object({ id: Uuid }), body: ContactInput, response: { 201: Contact, ...errors } },
    },
    async (request, reply) => {
      const contact = await addContact({ db, actor: actorOf(request), customerId: request.params.id, contact: request.body });
      return reply.status(201).send(contact);
    },
  );

  api.get(
    '/api/v1/invoices',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['invoices'],
        summary: 'List invoices and credit notes',
        querystring: ListQuery.extend({
          customerId: Uuid.optional(),
          status: z.enum(['open', 'overdue', 'paid', 'all']).default('all'),
          kind: z.enum(['invoice', 'credit_note']).optional(),
          search: z.string().max(100).optional(),
          dueFrom: z.iso.date().optional(),
          dueTo: z.iso.date().optional(),
          sort: z.enum(['dueDate', '-dueDate', 'issueDate', '-issueDate', 'totalInclTax', '-totalInclTax', 'openAmount', '-openAmount', 'number']).default('dueDate'),
        }),
        response: { 200: Page(Invoice), ...errors },
      },
    },
    async (request) => {
      const page = await listInvoices(db, { organisationId: actorOf(request).organisationId, today: clock.today(), ...request.query });
      return { items: page.items.map(invoiceOut), nextCursor: page.nextCursor };
    },
  );

  api.put(
    '/api/v1/invoices',
    {
      config: { permission: 'ledger:write' },
      schema: { tags: ['invoices'], summary: 'Create or update one invoice or credit note by number', body: InvoiceInput, response: { 200: BulkResult, ...errors } },
    },
    async (request) => upsertInvoices({ db, actor: actorOf(request), items: [request.body] }),
  );

  api.get(
    '/api/v1/payments',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['payments'],
        summary: 'List payments with their allocations',
        querystring: ListQuery.extend({ customerId: Uuid.optional(), unappliedOnly: booleanQuery.optional() }),
        response: { 200: Page(Payment), ...errors },
      },
    },
    async (request) => {
      const page = await listPayments(db, { organisationId: actorOf(request).organisationId, ...request.query });
      return { items: page.items.map(paymentOut), nextCursor: page.nextCursor };
    },
  );

  api.put(
    '/api/v1/payments',
    {
      config: { permission: 'payments:write' },
      schema: { tags: ['payments'], summary: 'Create or replace one payment and its allocations by reference', body: PaymentInput, response: { 200: BulkResult, ...errors } },
    },
    async (request) => upsertPayments({ db, actor: actorOf(request), items: [request.body] }),
  );

  api.get(
    '/api/v1/orders',
    {
      config: { permission: 'ledger:read' },
      schema: {
        tags: ['orders'],
        summary: 'List orders',
        querystring: ListQuery.extend({ customerId: Uuid.optional(), status: z.enum(['open', 'invoiced', 'cancelled']).optional() }),
        response: { 200: Page(Order), ...errors },
      },
    },
    async (request) => {
      const page = await listOrders(db, { organisationId: actorOf(request).organisationId, ...request.query });
      return { items: page.items.map(orderOut), nextCursor: page.nextCursor };
    },
  );

  api.put(
    '/api/v1/orders',
    {
      config: { permission: 'orders:write' },
      schema: { tags: ['orders'], summary: 'Create or update one order by number', body: OrderInput, response: { 200: BulkResult, ...errors } },
    },
    async (request) => upsertOrders({ db, actor: actorOf(request), items: [request.body] }),
  );

  const bulk = [
    { path: 'customers', body: CustomerInput, permission: 'ledger:write', run: upsertCustomers },
    { path: 'invoices', body: InvoiceInput, permission: 'ledger:write', run: upsertInvoices },
    { path: 'payments', body: PaymentInput, permission: 'payments:write', run: upsertPayments },
    { path: 'orders', body: OrderInput, permission: 'orders:write', run: upsertOrders },
  ] as const;
  for (const b of bulk) {
    api.post(
      `/api/v1/bulk/${b.path}`,
      {
        config: { permission: b.permission },
        bodyLimit: 64 * 1024 * 1024,
        schema: {
          tags: ['bulk'],
          summary: `Idempotent upsert of up to 50 000 ${b.path} by natural key; all or nothing`,
          body: BulkBody(b.body),
          response: { 200: BulkResult, ...errors },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        // The body was checked against this entity's schema; the cast only unifies the four use cases.
        const run = b.run as (o: { db: typeof db; actor: typeof actor; items: unknown[] }) => Promise<{ inserted: number; updated: number; unchanged: number }>;
        const result = await run({ db, actor, items: (request.body as { items: unknown[] }).items });
        if (b.path === 'payments' && result.inserted + result.updated > 0) {
          // Money coming in changes the payers' behaviour and may make room for orders on hold.
          // The payers: named, or known from the invoices the payments settle.
          const items = (request.body as { items: { customerRef?: string | null; allocations?: { invoiceNumber: string }[] }[] }).items;
          const refs = [...new Set(items.map((i) => i.customerRef).filter((r): r is string => !!r))];
          const numbers = [...new Set(items.flatMap((i) => (i.allocations ?? []).map((a) => a.invoiceNumber)))];
          const customerIds = [...new Set([...(await findCustomerIdsByRef(db, actor.organisationId, refs)).values(), ...(await findCustomerIdsByInvoiceNumbers(db, actor.organisationId, numbers))])];
          if (customerIds.length > 0) await recomputeScores({ db, actor, asOf: clock.today(), customerIds });
          await releaseHeldOrders({ db, actor, today: clock.today() });
        }
        if ((b.path === 'invoices' || b.path === 'orders') && result.inserted + result.updated > 0) {
          // Invoices change behaviour (overdue items) and exposure; orders only exposure.
          const refs = [...new Set((request.body as { items: { customerRef: string }[] }).items.map((i) => i.customerRef))];
          const customerIds = [...(await findCustomerIdsByRef(db, actor.organisationId, refs)).values()];
          if (b.path === 'invoices') await refreshRisk({ db, actor, today: clock.today(), customerIds });
          else await sweepExposure({ db, actor, today: clock.today(), customerIds });
        }
        return result;
      },
    );
  }
}

