import { createHash } from 'node:crypto';
import { buildMatchingIndex, matchPayment } from '../../domain/matching/match-payment';
import { parseAmount } from '../../domain/money';
import { type ParsedStatements, StatementParseError } from '../../formats/statements/types';
import type { Db } from '../../infra/db/db';
import { ParseLimitError, parseInWorker } from '../../infra/parsing/parse-pool';
import { insertMatch, insertNewLines, insertStatement, type LineRow, loadMatchingData, setLineStatus } from '../../infra/db/repos/banking-repo';
import type { Actor } from '../actor';
import { AppError } from '../app-error';
import { recordImport } from '../imports/record-import';
import { writeOrPreview } from '../imports/write-or-preview';
import { formatAmount } from '../../domain/money';
import { applyMatch } from './apply-match';

export type MatchingSettings = {
  /** Proposals at or above this confidence are applied without review. */
  autoApplyThreshold: number;
  /** Differences accepted as bank fees, in the line currency's major unit ("5.00"). */
  tolerance: string;
};
export const DEFAULT_MATCHING: MatchingSettings = { autoApplyThreshold: 0.9, tolerance: '5.00' };

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

export type StatementImportReport = {
  /** Nothing was stored: this is what the import would store. */
  isDryRun: boolean;
  format: string;
  statements: { account: string | null; currency: string | null; lines: number; isNew: boolean; balanceCheck: { isConsistent: boolean; difference: string } | null }[];
  lines: { total: number; new: number; alreadyImported: number; credits: number; debits: number };
  matching: { applied: number; proposed: number; unmatched: number };
  /** On a dry run, the records the import would store: its new bank lines and the matches of its credits. */
  preview?: {
    lines: { account: string | null; lineNo: number; bookingDate: string; amount: string; currency: string; counterpartyName: string | null; remittance: string | null }[];
    matches: { lineNo: number; bookingDate: string; amount: string; currency: string; status: 'applied' | 'proposed'; customer: { id: string; name: string } | null; allocations: { invoiceNumber: string; amount: string }[]; unapplied: string; reasons: string[] }[];
  };
};

/**
 * Imports a bank statement (camt, CFONB 120, MT940/942, OFX): stores its lines once (a line seen
 * before, in this file or another, is skipped), then matches each new credit to open invoices —
 * applying confident matches as payments and queueing the others for review.
 */
export async function importStatement(options: { db: Db; actor: Actor; bytes: Uint8Array; fileName?: string; settings?: Partial<MatchingSettings>; isDryRun?: boolean }) {
  const { db, actor } = options;
  const isDryRun = options.isDryRun ?? false;
  const settings = { ...DEFAULT_MATCHING, ...options.settings };
  // The file's own SHA-256, hashed from its bytes (no 10 MB string made on this thread).
  const fileSha = createHash('sha256').update(options.bytes).digest('hex');
  let parsed: ParsedStatements;
  try {
    // Parsed in a worker thread: a hostile file never blocks this one (see parse-pool.ts).
    parsed = await parseInWorker<ParsedStatements>('statement', options.bytes);
  } catch (error) {
    if (error instanceof ParseLimitError) error = new StatementParseError('file', error.reason);
    if (error instanceof StatementParseError) {
      if (!isDryRun) await recordImport(db, actor, { kind: 'statement', fileName: options.fileName, sha: fileSha, status: 'failed', report: { error: { location: error.location, reason: error.reason } } });
      throw new AppError('validation_failed', `${options.fileName ?? 'file'} is not an acceptable bank statement`, [{ field: error.location, reason: error.reason }]);
    }
    throw error;
  }

  const affectedCustomers = new Set<string>();
  const report = await writeOrPreview(db, isDryRun, async (tx) => {
    const preview: NonNullable<StatementImportReport['preview']> = { lines: [], matches: [] };
    const result: StatementImportReport = { isDryRun, ...(isDryRun ? { preview } : {}), format: parsed.format, statements: [], lines: { total: 0, new: 0, alreadyImported: 0, credits: 0, debits: 0 }, matching: { applied: 0, proposed: 0, unmatched: 0 } };
    const newCredits: (LineRow & { id: string })[] = [];
    affectedCustomers.clear();
    for (const statement of parsed.statements) {
      const account = statement.account.iban ?? statement.account.number;
      const minor = (amount: string | null, currency: string, where: string) => {
        if (amount === null) return null;
        const value = parseAmount(amount, currency || 'EUR');
        if (!value.ok) throw new AppError('validation_failed', 'statement amount out of range', [{ field: where, reason: value.reason }]);
        return value.minor;
      };
      const stored = await insertStatement(tx, actor.organisationId, null, {
        format: parsed.format,
        statementRef: statement.id,
        accountIban: statement.account.iban,
        accountNumber: statement.account.number,
        currency: statement.currency || null,
        openingBalance: minor(statement.openingBalance, statement.currency, 'openingBalance'),
        closingBalance: minor(statement.closingBalance, statement.currency, 'closingBalance'),
        openingDate: statement.openingDate,
        closingDate: statement.closingDate,
        isBalanceConsistent: statement.balanceCheck?.isConsistent ?? null,
        balanceDifference: statement.balanceCheck?.difference ?? null,
        fingerprint: sha(JSON.stringify([parsed.format, account, statement.id, statement.openingDate, statement.closingDate, statement.openingBalance, statement.closingBalance, statement.lines.length, statement.lines.map((l) => [l.bookingDate, l.amount])])),
      });
      // Identical lines on the same day are told apart by their rank among identical ones.
      const seen = new Map<string, number>();
      const rows: LineRow[] = statement.lines.map((line, k) => {
        const currency = line.currency || statement.currency;
        const key = JSON.stringify([account, line.bookingDate, line.amount, currency, line.reference, line.endToEndId, line.remittance.unstructured, line.remittance.structured, line.counterparty.iban]);
        const rank = (seen.get(key) ?? 0) + 1;
        seen.set(key, rank);
        const amount = minor(line.amount, currency, `lines[${k}].amount`) as number;
        return {
          lineNo: k + 1,
          bookingDate: line.bookingDate,
          valueDate: line.valueDate,
          amount,
          currency: currency || 'EUR',
          counterpartyName: line.counterparty.name,
          counterpartyIban: line.counterparty.iban,
          remittance: line.remittance.unstructured,
          structuredReference: line.remittance.structured,
          endToEndId: line.endToEndId,
          bankReference: line.reference,
          fingerprint: sha(`${key}#${rank}`),
          status: amount < 0 ? 'debit' : 'unmatched',
        };
      });
      const inserted = await insertNewLines(tx, actor.organisationId, stored.id, rows);
      const insertedIds = new Map(inserted.map((r) => [r.fingerprint, r.id]));
      for (const row of rows) {
        const id = insertedIds.get(row.fingerprint);
        if (id && row.amount > 0) newCredits.push({ ...row, id });
        if (id && isDryRun) {
          preview.lines.push({ account, lineNo: row.lineNo, bookingDate: row.bookingDate, amount: formatAmount(row.amount, row.currency), currency: row.currency, counterpartyName: row.counterpartyName, remittance: row.remittance });
        }
      }
      result.statements.push({ account, currency: statement.currency || null, lines: rows.length, isNew: stored.isNew, balanceCheck: statement.balanceCheck });
      result.lines.total += rows.length;
      result.lines.new += inserted.length;
      result.lines.alreadyImported += rows.length - inserted.length;
      result.lines.credits += rows.filter((r) => r.amount > 0).length;
      result.lines.debits += rows.filter((r) => r.amount < 0).length;
    }

    if (newCredits.length > 0) {
      const data = await loadMatchingData(tx, actor.organisationId);
      const index = buildMatchingIndex(data);
      const customersById = new Map(data.customers.map((c) => [c.id, c]));
      const invoicesById = new Map(data.invoices.map((i) => [i.id, i]));
      for (const line of newCredits) {
        const tolerance = parseAmount(settings.tolerance, line.currency);
        const proposal = matchPayment({
          credit: { amount: line.amount, currency: line.currency, counterpartyName: line.counterpartyName, counterpartyIban: line.counterpartyIban, remittance: line.remittance, structuredReference: line.structuredReference },
          index,
          tolerance: tolerance.ok ? tolerance.minor : 0,
        });
        if (proposal.method === 'none') {
          result.matching.unmatched++;
          continue;
        }
        const customer = proposal.customerId ? customersById.get(proposal.customerId) : undefined;
        const isApplied = proposal.confidence >= settings.autoApplyThreshold && proposal.allocations.length > 0;
        let paymentId: string | null = null;
        if (isApplied) {
          paymentId = await applyMatch({ db: tx, actor, line, customer: customer ? { id: customer.id, externalRef: customer.externalRef } : null, allocations: proposal.allocations });
          // Later lines of the batch must see what this one settled.
          for (const a of proposal.allocations) {
            const invoice = invoicesById.get(a.invoiceId);
            if (invoice) invoice.openAmount -= a.amount;
          }
        }
        await insertMatch(tx, actor.organisationId, {
          lineId: line.id,
          customerId: proposal.customerId,
          method: proposal.method,
          confidence: proposal.confidence,
          reasons: proposal.reasons,
          allocations: proposal.allocations,
          unapplied: proposal.unapplied,
          status: isApplied ? 'applied' : 'proposed',
          paymentId,
        });
        await setLineStatus(tx, actor.organisationId, line.id, isApplied ? 'matched' : 'proposed');
        if (isDryRun) {
          const money = (minor: number) => formatAmount(minor, line.currency);
          preview.matches.push({
            lineNo: line.lineNo, bookingDate: line.bookingDate, amount: money(line.amount), currency: line.currency, status: isApplied ? 'applied' : 'proposed',
            customer: customer ? { id: customer.id, name: customer.name } : null,
            allocations: proposal.allocations.map((a) => ({ invoiceNumber: a.invoiceNumber, amount: money(a.amount) })),
            unapplied: money(proposal.unapplied), reasons: proposal.reasons,
          });
        }
        if (isApplied) {
          result.matching.applied++;
          if (proposal.customerId) affectedCustomers.add(proposal.customerId);
        }
        else result.matching.proposed++;
      }
    }
    return result;
  });
  // A dry run leaves no trace, not even the import record, and nobody was paid.
  if (isDryRun) return { importId: null, report, paidCustomerIds: [] };
  const importId = await recordImport(db, actor, { kind: 'statement', fileName: options.fileName, sha: fileSha, status: 'succeeded', report });
  return { importId, report, paidCustomerIds: [...affectedCustomers] };
}
