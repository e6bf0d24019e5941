/**
 * The receivables ledger's records as the domain sees them: natural keys (what an ERP knows),
 * amounts in integer minor units of their currency, dates as ISO calendar dates.
 * Credit notes carry negative amounts so that sums net naturally.
 */
import type { IsoDate } from '../calendar';

export const ROLES = ['admin', 'credit_manager', 'collector', 'sales', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export type CustomerRecord = {
  /** The ERP's customer code: the natural key, unique per organisation. */
  externalRef: string;
  legalName: string;
  siren?: string | null;
  siret?: string | null;
  vatNumber?: string | null;
  lei?: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
  addressLine1?: string | null;
  addressLine2?: string | null;
  postalCode?: string | null;
  city?: string | null;
  /** externalRef of the parent company (group head). */
  parentRef?: string | null;
  segment?: string | null;
  /** NAF/NACE activity code, e.g. "4690Z". */
  activityCode?: string | null;
  paymentTermsDays?: number | null;
  currency?: string | null;
  tags?: string[];
};

export type InvoiceKind = 'invoice' | 'credit_note';

export type InvoiceRecord = {
  /** Invoice number: the natural key, unique per organisation. */
  number: string;
  customerRef: string;
  kind: InvoiceKind;
  issueDate: IsoDate;
  dueDate: IsoDate;
  currency: string;
  /** Minor units; negative for credit notes. */
  totalExclTax: number;
  totalInclTax: number;
  isDisputed?: boolean;
  orderNumber?: string | null;
};

export type AllocationRecord = { invoiceNumber: string; amount: number };

export type PaymentRecord = {
  /** Bank or ERP payment reference: the natural key, unique per organisation. */
  reference: string;
  customerRef?: string | null;
  /** Date the funds were received (value date). */
  receivedDate: IsoDate;
  currency: string;
  amount: number;
  method?: string | null;
  allocations: AllocationRecord[];
};

export type OrderStatus = 'open' | 'invoiced' | 'cancelled';

export type OrderRecord = {
  number: string;
  customerRef: string;
  orderDate: IsoDate;
  expectedInvoiceDate?: IsoDate | null;
  currency: string;
  amountInclTax: number;
  status: OrderStatus;
};
