import { z } from 'zod';
import { Amount, AmountOut, DateOut, DateText, IsoDate, Uuid } from './common';

const optionalText = (max: number) => z.string().max(max).nullish();

export const CustomerInput = z.object({
  externalRef: z.string().min(1).max(100).describe('Your customer code (natural key)'),
  legalName: z.string().min(1).max(300),
  siren: optionalText(20),
  siret: optionalText(20),
  vatNumber: optionalText(20),
  lei: optionalText(24),
  country: z.string().length(2).default('FR'),
  addressLine1: optionalText(300),
  addressLine2: optionalText(300),
  postalCode: optionalText(20),
  city: optionalText(100),
  parentRef: optionalText(100).describe('externalRef of the parent (group) company'),
  segment: optionalText(100),
  activityCode: optionalText(10),
  paymentTermsDays: z.number().int().nullish(),
  currency: optionalText(3),
  collectorEmail: optionalText(300).describe('E-mail of the user who collects this customer'),
  tags: z.array(z.string().max(50)).max(50).optional(),
});
export type CustomerInput = z.infer<typeof CustomerInput>;

export const InvoiceInput = z.object({
  number: z.string().min(1).max(100),
  customerRef: z.string().min(1).max(100),
  kind: z.enum(['invoice', 'credit_note']).default('invoice'),
  issueDate: DateText,
  dueDate: DateText,
  currency: z.string().length(3),
  totalExclTax: Amount,
  totalInclTax: Amount.describe('Total including tax; credit notes may be given positive or negative'),
  isDisputed: z.boolean().optional(),
  orderNumber: optionalText(100),
});
export type InvoiceInput = z.infer<typeof InvoiceInput>;

export const PaymentInput = z.object({
  reference: z.string().min(1).max(140),
  customerRef: optionalText(100),
  receivedDate: DateText,
  currency: z.string().length(3),
  amount: Amount,
  method: optionalText(50),
  allocations: z.array(z.object({ invoiceNumber: z.string().min(1).max(100), amount: Amount })).max(10_000).default([]),
});
export type PaymentInput = z.infer<typeof PaymentInput>;

export const OrderInput = z.object({
  number: z.string().min(1).max(100),
  customerRef: z.string().min(1).max(100),
  orderDate: DateText,
  expectedInvoiceDate: DateText.nullish(),
  currency: z.string().length(3),
  amountInclTax: Amount,
  status: z.enum(['open', 'invoiced', 'cancelled']).default('open'),
});
export type OrderInput = z.infer<typeof OrderInput>;

export const BulkBody = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item).min(1).max(50_000) });

export const CustomerSummary = z.object({
  id: Uuid,
  externalRef: z.string(),
  legalName: z.string(),
  siren: z.string().nullable(),
  country: z.string(),
  city: z.string().nullable(),
  segment: z.string().nullable(),
  currency: z.string().nullable(),
  outstanding: AmountOut,
  overdue: AmountOut,
  exposure: AmountOut.describe('Open receivables + orders not yet invoiced'),
  openInvoiceCount: z.number(),
  riskScore: z.number().nullable().describe('Latest risk score 0–100 (100 = lowest risk)'),
  riskBand: z.enum(['A', 'B', 'C', 'D', 'E']).nullable(),
});

export const Contact = z.object({
  id: Uuid,
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  role: z.string().nullable(),
  isPrimary: z.boolean(),
});

export const ContactInput = z.object({
  name: z.string().min(1).max(200),
  email: z.email().nullish(),
  phone: optionalText(40),
  role: optionalText(100),
  isPrimary: z.boolean().default(false),
});

const Ref = z.object({ id: Uuid, legalName: z.string() });

export const Customer = CustomerSummary.extend({
  siret: z.string().nullable(),
  vatNumber: z.string().nullable(),
  lei: z.string().nullable(),
  addressLine1: z.string().nullable(),
  addressLine2: z.string().nullable(),
  postalCode: z.string().nullable(),
  activityCode: z.string().nullable(),
  paymentTermsDays: z.number().nullable(),
  tags: z.array(z.string()),
  parent: Ref.nullable(),
  subsidiaries: z.array(Ref),
  collector: z.object({ id: Uuid, name: z.string() }).nullable(),
  contacts: z.array(Contact),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const Invoice = z.object({
  id: Uuid,
  number: z.string(),
  kind: z.enum(['invoice', 'credit_note']),
  customerId: Uuid,
  customerName: z.string(),
  issueDate: DateOut,
  dueDate: DateOut,
  currency: z.string(),
  totalExclTax: AmountOut,
  totalInclTax: AmountOut,
  openAmount: AmountOut,
  status: z.enum(['open', 'paid', 'cancelled']),
  isDisputed: z.boolean(),
  paidDate: DateOut.nullable(),
  daysPastDue: z.number(),
});

export const Payment = z.object({
  id: Uuid,
  reference: z.string(),
  customerId: Uuid.nullable(),
  customerName: z.string().nullable(),
  receivedDate: DateOut,
  currency: z.string(),
  amount: AmountOut,
  unappliedAmount: AmountOut,
  method: z.string().nullable(),
  allocations: z.array(z.object({ invoiceId: Uuid, invoiceNumber: z.string(), amount: AmountOut })),
});

export const Order = z.object({
  id: Uuid,
  number: z.string(),
  customerId: Uuid,
  customerName: z.string(),
  orderDate: DateOut,
  expectedInvoiceDate: DateOut.nullable(),
  currency: z.string(),
  amountInclTax: AmountOut,
  status: z.enum(['open', 'invoiced', 'cancelled']),
});
