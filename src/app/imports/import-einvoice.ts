import { createHash } from 'node:crypto';
import { addDays } from '../../domain/calendar';
import { sirenError, siretError, vatNumberError } from '../../domain/identifiers';
import { EInvoiceError, type EInvoice } from '../../formats/einvoice/types';
import { addDecimals, compareDecimals } from '../../formats/decimal';
import type { Db } from '../../infra/db/db';
import { ParseLimitError, parseInWorker } from '../../infra/parsing/parse-pool';
import type { Actor } from '../actor';
import { AppError } from '../app-error';
import { upsertCustomers } from '../ledger/upsert-customers';
import { upsertInvoices } from '../ledger/upsert-invoices';
import { upsertPayments } from '../ledger/upsert-payments';
import { recordImport } from './record-import';
import { writeOrPreview } from './write-or-preview';

/** Payment terms when the invoice states no due date: 30 days (C. com. L441-10 I, nothing agreed). */
export const DEFAULT_TERMS_DAYS = 30;

export type EInvoiceImportReport = {
  /** Nothing was stored: this is what the import would store. */
  isDryRun: boolean;
  number: string;
  kind: EInvoice['kind'];
  customer: { externalRef: string; isNew: boolean };
  invoice: { inserted: number; updated: number; unchanged: number };
  /** The records written (or, on a dry run, that would be). */
  records: {
    customer: { externalRef: string; legalName: string; siren: string | null; vatNumber: string | null; action: 'created' | 'updated' | 'unchanged' };
    invoice: { number: string; kind: 'invoice' | 'credit_note'; issueDate: string; dueDate: string; currency: string; totalInclTax: string; action: 'created' | 'updated' | 'unchanged' };
    prepayment: { reference: string; amount: string; settled: string } | null;
  };
  warnings: string[];
};

/**
 * Imports one e-invoice (Factur-X PDF, CII or UBL): the buyer becomes or updates a customer,
 * the document becomes an invoice or credit note, a prepaid amount becomes a settled part.
 * Importing the same file twice changes nothing. The outcome is recorded as an import.
 */
export async function importEInvoice(options: { db: Db; actor: Actor; bytes: Uint8Array; fileName?: string; isDryRun?: boolean }) {
  const isDryRun = options.isDryRun ?? false;
  const { db, actor } = options;
  const sha = createHash('sha256').update(options.bytes).digest('hex');
  let invoice: EInvoice;
  try {
    // Parsed in a worker thread: a PDF or XML bomb never blocks this one (see parse-pool.ts).
    invoice = await parseInWorker<EInvoice>('einvoice', options.bytes);
  } catch (error) {
    if (error instanceof ParseLimitError) error = new EInvoiceError('file', error.reason);
    if (error instanceof EInvoiceError) {
      if (!isDryRun) await recordImport(db, actor, { kind: 'einvoice', fileName: options.fileName, sha, status: 'failed', report: { error: { location: error.location, reason: error.reason } } });
      throw new AppError('validation_failed', `${options.fileName ?? 'file'} is not an acceptable e-invoice`, [
        { field: error.location, reason: error.reason },
      ]);
    }
    throw error;
  }

  const report = await writeOrPreview(db, isDryRun, async (tx) => {
    const warnings: string[] = [];
    const buyer = checkedIdentifiers(invoice, warnings);
    const customer = await findOrNameCustomer(tx, actor.organisationId, { ...invoice, buyer: { ...invoice.buyer, ...buyer } });
    const customerItem = {
          externalRef: customer.externalRef,
          legalName: customer.existing?.legal_name ?? (invoice.buyer.name as string),
          siren: customer.existing?.siren ?? buyer.siren,
          siret: customer.existing?.siret ?? buyer.siret,
          vatNumber: customer.existing?.vat_number ?? buyer.vatNumber,
          country: customer.existing?.country ?? buyer.countryCode,
          addressLine1: customer.existing?.address_line1 ?? invoice.buyer.address.lines[0] ?? null,
          addressLine2: customer.existing?.address_line2 ?? invoice.buyer.address.lines[1] ?? null,
          postalCode: customer.existing?.postal_code ?? invoice.buyer.address.postalCode,
          city: customer.existing?.city ?? invoice.buyer.address.city,
          parentRef: customer.existing?.parent_ref ?? null,
          segment: customer.existing?.segment ?? null,
          activityCode: customer.existing?.activity_code ?? null,
          paymentTermsDays: customer.existing?.payment_terms_days ?? null,
          currency: customer.existing?.currency ?? invoice.currency,
          tags: customer.existing?.tags ?? [],
    };
    const customerResult = await upsertCustomers({ db: tx, actor, items: [customerItem] });

    let dueDate = invoice.dueDate;
    if (!dueDate) {
      const terms = customer.existing?.payment_terms_days ?? DEFAULT_TERMS_DAYS;
      dueDate = addDays(invoice.issueDate, terms);
      warnings.push(`no due date in the document: ${dueDate} (issue date + ${terms} days)`);
    } else if (dueDate < invoice.issueDate) {
      warnings.push(`due date ${dueDate} precedes the issue date: the issue date is used`);
      dueDate = invoice.issueDate;
    }
    // A corrective invoice with a negative total reduces what the customer owes: a credit in the ledger.
    const isCredit = invoice.kind === 'credit_note' || invoice.totals.gross.startsWith('-');
    if (isCredit && invoice.kind !== 'credit_note') warnings.push(`${invoice.kind.replace('_', ' ')} with a negative total is recorded as a credit note`);
    const result = await upsertInvoices({
      db: tx,
      actor,
      items: [
        {
          number: invoice.number,
          customerRef: customer.externalRef,
          kind: isCredit ? 'credit_note' : 'invoice',
          issueDate: invoice.issueDate,
          dueDate,
          currency: invoice.currency,
          totalExclTax: invoice.totals.net,
          totalInclTax: invoice.totals.gross,
          orderNumber: invoice.references.order,
        },
      ],
    });
    let prepaid = invoice.totals.prepaid;
    let prepayment: EInvoiceImportReport['records']['prepayment'] = null;
    if (!prepaid && !invoice.totals.rounding && compareDecimals(invoice.totals.due, invoice.totals.gross) < 0) {
      // Factur-X MINIMUM has no prepaid element: an amount due below the total means part was paid already.
      prepaid = addDecimals(invoice.totals.gross, `-${invoice.totals.due}`.replace('--', ''));
      warnings.push(`amount due ${invoice.totals.due} is below the total ${invoice.totals.gross}: ${prepaid} treated as prepaid`);
    }
    if (prepaid?.startsWith('-') && /[1-9]/.test(prepaid)) {
      warnings.push(`negative prepaid amount ${prepaid} is not applied: the open amount is the total ${invoice.totals.gross}`);
    }
    if (!isCredit && prepaid && /[1-9]/.test(prepaid) && !prepaid.startsWith('-')) {
      // What was paid before the invoice (BT-113) is settled from the start: open = amount due.
      // A prepayment above the total (negative amount due) leaves the excess as unapplied cash.
      const settled = compareDecimals(prepaid, invoice.totals.gross) > 0 ? invoice.totals.gross : prepaid;
      prepayment = { reference: `PREPAID-${invoice.number}`, amount: prepaid, settled };
      if (compareDecimals(prepaid, invoice.totals.gross) > 0) warnings.push(`prepaid ${prepaid} exceeds the total: the excess is unapplied cash`);
      await upsertPayments({
        db: tx,
        actor,
        items: [{ reference: `PREPAID-${invoice.number}`, customerRef: customer.externalRef, receivedDate: invoice.issueDate, currency: invoice.currency, amount: prepaid, method: 'prepayment', allocations: [{ invoiceNumber: invoice.number, amount: settled }] }],
      });
    }
    const action = (r: { inserted: number; updated: number }) => (r.inserted > 0 ? 'created' : r.updated > 0 ? 'updated' : 'unchanged') as 'created' | 'updated' | 'unchanged';
    const importReport: EInvoiceImportReport = {
      isDryRun,
      number: invoice.number,
      kind: invoice.kind,
      customer: { externalRef: customer.externalRef, isNew: !customer.existing },
      invoice: result,
      records: {
        customer: { externalRef: customer.externalRef, legalName: customerItem.legalName, siren: customerItem.siren, vatNumber: customerItem.vatNumber, action: action(customerResult) },
        invoice: { number: invoice.number, kind: isCredit ? 'credit_note' : 'invoice', issueDate: invoice.issueDate, dueDate, currency: invoice.currency, totalInclTax: invoice.totals.gross, action: action(result) },
        prepayment,
      },
      warnings,
    };
    return importReport;
  });
  // A dry run leaves no trace, not even the import record.
  const importId = isDryRun ? null : await recordImport(db, actor, { kind: 'einvoice', fileName: options.fileName, sha, status: 'succeeded', report });
  return { importId, invoice, report };
}

/** Identifiers that fail their check are not stored (the invoice still is), and the report says so. */
function checkedIdentifiers(invoice: EInvoice, warnings: string[]) {
  const { buyer } = invoice;
  const keep = (label: string, value: string | null, error: (v: string) => string | null) => {
    if (!value) return null;
    const reason = error(value);
    if (reason) warnings.push(`buyer ${label} ${value} not stored: ${reason}`);
    return reason ? null : value;
  };
  const siret = keep('SIRET', buyer.siret, siretError);
  const siren = keep('SIREN', buyer.siren, sirenError);
  const country = (buyer.address.countryCode ?? '').toUpperCase();
  return {
    siren,
    siret: siren && siret?.startsWith(siren) ? siret : null,
    vatNumber: keep('VAT number', buyer.vatNumber, vatNumberError),
    countryCode: /^[A-Z]{2}$/.test(country) ? country : 'FR',
  };
}

type ExistingCustomer = {
  external_ref: string; legal_name: string; siren: string | null; siret: string | null; vat_number: string | null; country: string;
  address_line1: string | null; address_line2: string | null; postal_code: string | null; city: string | null; parent_ref: string | null;
  segment: string | null; activity_code: string | null; payment_terms_days: number | null; currency: string | null; tags: string[];
};

/** The buyer is matched to a customer by SIREN, then VAT number, then exact name; otherwise a new code is made from its identifiers. */
async function findOrNameCustomer(db: Db, organisationId: string, invoice: EInvoice): Promise<{ externalRef: string; existing?: ExistingCustomer }> {
  const buyer = invoice.buyer;
  const [existing] = await db.query<ExistingCustomer>(
    `SELECT c.external_ref, c.legal_name, c.siren, c.siret, c.vat_number, c.country, c.address_line1, c.address_line2, c.postal_code, c.city,
            p.external_ref AS parent_ref, c.segment, c.activity_code, c.payment_terms_days, c.currency, c.tags
     FROM customers c LEFT JOIN customers p ON p.id = c.parent_id
     WHERE c.organisation_id = $1 AND (($2::text IS NOT NULL AND c.siren = $2) OR ($3::text IS NOT NULL AND c.vat_number = $3) OR lower(c.legal_name) = lower($4))
     ORDER BY (c.siren = $2) DESC NULLS LAST, (c.vat_number = $3) DESC NULLS LAST
     LIMIT 1`,
    [organisationId, buyer.siren, buyer.vatNumber, buyer.name],
  );
  if (existing) return { externalRef: existing.external_ref, existing };
  const key = buyer.siren ? `SIREN-${buyer.siren}` : buyer.vatNumber ? `VAT-${buyer.vatNumber}` : `NAME-${(buyer.name ?? '').normalize('NFKD').replace(/[^\w]+/g, '-').replace(/^-|-$/g, '').toUpperCase().slice(0, 80)}`;
  return { externalRef: key };
}
