/**
 * ISO 20022 cash management: camt.052 (account report), camt.053 (statement) and camt.054
 * (debit/credit notification), every version (the element names used here are stable from
 * .001.02 to .001.13; v8+ moved party names under Pty, handled below).
 */
import { addDecimals, compareDecimals, isDecimal, normalizeDecimal, negateDecimal } from '../decimal';
import { attr, child, children, readXml, text, XmlReadError } from '../xml/read-xml';
import { balanceCheckOf } from './balance';
import { type ParsedStatements, type Statement, StatementParseError, type StatementLine } from './types';

const MESSAGES = {
  BkToCstmrAcctRpt: { format: 'camt.052', record: 'Rpt' },
  BkToCstmrStmt: { format: 'camt.053', record: 'Stmt' },
  BkToCstmrDbtCdtNtfctn: { format: 'camt.054', record: 'Ntfctn' },
} as const;

const REPEATING = new Set(['Stmt', 'Rpt', 'Ntfctn', 'Bal', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'Strd']);

const dateOf = (node: unknown) => (text(node, 'Dt') ?? text(node, 'DtTm'))?.slice(0, 10) ?? null;

function signed(amount: string, indicator: string | null, at = 'Amt'): string {
  if (!isDecimal(amount.trim())) throw new StatementParseError(at, `"${amount}" is not a decimal amount`);
  const value = normalizeDecimal(amount);
  return indicator === 'DBIT' ? negateDecimal(value) : value;
}

/** Party name: v2–v7 Dbtr/Nm, v8+ Dbtr/Pty/Nm. */
function partyName(party: unknown): string | null {
  return text(party, 'Nm') ?? text(party, 'Pty', 'Nm');
}

function accountIban(account: unknown): string | null {
  return text(account, 'Id', 'IBAN');
}

export function isCamt(xmlHead: string): boolean {
  return /urn:iso:std:iso:20022:tech:xsd:camt\.05[234]/.test(xmlHead) || /<(?:\w+:)?(BkToCstmrStmt|BkToCstmrAcctRpt|BkToCstmrDbtCdtNtfctn)[\s>]/.test(xmlHead);
}

export function parseCamt(xml: string): ParsedStatements {
  let root: Record<string, unknown>;
  try {
    root = readXml(xml, { isArray: (name) => REPEATING.has(name) });
  } catch (error) {
    if (error instanceof XmlReadError) throw new StatementParseError(error.location, error.reason);
    throw error;
  }
  const document = child(root, 'Document');
  if (!document) throw new StatementParseError('/', 'no ISO 20022 Document root element');
  const messageName = (Object.keys(MESSAGES) as (keyof typeof MESSAGES)[]).find((k) => child(document, k));
  if (!messageName) throw new StatementParseError('/Document', 'not a camt.052, camt.053 or camt.054 message');
  const { format, record } = MESSAGES[messageName];
  const message = child(document, messageName);
  const records = children(message, record);
  if (records.length === 0) throw new StatementParseError(`/Document/${messageName}/${record}`, 'no statement in the message');

  const statements = records.map((r, index): Statement => {
    const path = `/Document/${messageName}/${record}[${index + 1}]`;
    const account = child(r, 'Acct');
    const balances = children(r, 'Bal').map((b) => {
      const amountNode = child(b, 'Amt');
      const amount = text(amountNode);
      if (!amount) throw new StatementParseError(`${path}/Bal/Amt`, 'balance without amount');
      return {
        code: text(b, 'Tp', 'CdOrPrtry', 'Cd') ?? text(b, 'Tp', 'CdOrPrtry', 'Prtry'),
        amount: signed(amount, text(b, 'CdtDbtInd')),
        currency: attr(amountNode, 'Ccy'),
        date: dateOf(child(b, 'Dt')),
      };
    });
    const opening = balances.find((b) => b.code === 'OPBD') ?? balances.find((b) => b.code === 'PRCD') ?? null;
    const closing = balances.find((b) => b.code === 'CLBD') ?? balances.find((b) => b.code === 'ITBD') ?? null;
    const currency = text(account, 'Ccy') ?? opening?.currency ?? closing?.currency ?? null;

    const lines = children(r, 'Ntry').flatMap((entry, k): StatementLine[] => {
      const at = `${path}/Ntry[${k + 1}]`;
      const amountNode = child(entry, 'Amt');
      const amount = text(amountNode);
      if (!amount) throw new StatementParseError(`${at}/Amt`, 'entry without amount');
      const indicator = text(entry, 'CdtDbtInd');
      if (indicator !== 'CRDT' && indicator !== 'DBIT') throw new StatementParseError(`${at}/CdtDbtInd`, `expected CRDT or DBIT, got ${indicator ?? 'nothing'}`);
      const bookingDate = dateOf(child(entry, 'BookgDt')) ?? dateOf(child(entry, 'ValDt'));
      if (!bookingDate) throw new StatementParseError(`${at}/BookgDt`, 'entry without booking date');
      const transactions = children(entry, 'NtryDtls').flatMap((d) => children(d, 'TxDtls'));
      const domain = child(entry, 'BkTxCd', 'Domn');
      const btc = domain ? [text(domain, 'Cd'), text(domain, 'Fmly', 'Cd'), text(domain, 'Fmly', 'SubFmlyCd')].filter(Boolean).join('/') : text(entry, 'BkTxCd', 'Prtry', 'Cd');
      const entryCurrency = attr(amountNode, 'Ccy') ?? currency ?? '';
      const base = {
        bookingDate,
        valueDate: dateOf(child(entry, 'ValDt')),
        currency: entryCurrency,
        bankTransactionCode: btc || null,
      };
      const lineOf = (txs: unknown[], lineAmount: string, txIndicator: string): StatementLine => {
        const tx = txs[0];
        const parties = child(tx, 'RltdPties');
        const isCredit = txIndicator === 'CRDT';
        const counterparty = isCredit ? (child(parties, 'Dbtr') ?? child(parties, 'UltmtDbtr')) : (child(parties, 'Cdtr') ?? child(parties, 'UltmtCdtr'));
        const counterpartyAccount = isCredit ? child(parties, 'DbtrAcct') : child(parties, 'CdtrAcct');
        const agent = child(child(tx, 'RltdAgts'), isCredit ? 'DbtrAgt' : 'CdtrAgt');
        const unstructured = txs
          .flatMap((t) => children(child(t, 'RmtInf'), 'Ustrd').map((u) => text(u)))
          .filter((u): u is string => !!u)
          .join(' ');
        const structured = txs.flatMap((t) => children(child(t, 'RmtInf'), 'Strd').map((st) => text(st, 'CdtrRefInf', 'Ref'))).find((st) => !!st);
        const endToEnd = text(tx, 'Refs', 'EndToEndId');
        return {
          ...base,
          amount: signed(lineAmount, txIndicator),
          counterparty: {
            name: partyName(counterparty),
            iban: accountIban(counterpartyAccount),
            bic: text(agent, 'FinInstnId', 'BIC') ?? text(agent, 'FinInstnId', 'BICFI'),
          },
          remittance: { unstructured: unstructured || text(entry, 'AddtlNtryInf') || text(tx, 'AddtlTxInf'), structured: structured ?? null },
          endToEndId: endToEnd && endToEnd !== 'NOTPROVIDED' ? endToEnd : null,
          reference: text(tx, 'Refs', 'AcctSvcrRef') ?? text(entry, 'AcctSvcrRef') ?? text(entry, 'NtryRef'),
        };
      };
      // A batch entry (several transactions, each with its amount) becomes one line per transaction,
      // so each customer payment can be matched on its own.
      const txAmount = (t: unknown) => text(t, 'AmtDtls', 'TxAmt', 'Amt') ?? text(t, 'Amt');
      if (transactions.length > 1 && transactions.every((t) => txAmount(t) !== null && isDecimal(txAmount(t) as string))) {
        const split = transactions.map((t) => lineOf([t], txAmount(t) as string, text(t, 'CdtDbtInd') ?? indicator));
        // Only when the transactions add up to the entry; otherwise the entry stays whole.
        const isSameCurrency = split.every((l, i) => (attr(child(transactions[i], 'AmtDtls', 'TxAmt', 'Amt') ?? child(transactions[i], 'Amt'), 'Ccy') ?? entryCurrency) === entryCurrency);
        if (isSameCurrency && compareDecimals(addDecimals(...split.map((l) => l.amount)), signed(amount, indicator)) === 0) return split;
      }
      return [lineOf(transactions, amount, indicator)];
    });
    if (!currency && lines.length === 0) throw new StatementParseError(`${path}/Acct/Ccy`, 'no currency for the account');
    const statement = {
      id: text(r, 'Id'),
      account: {
        iban: accountIban(account),
        number: text(account, 'Id', 'Othr', 'Id'),
        bic: text(account, 'Svcr', 'FinInstnId', 'BIC') ?? text(account, 'Svcr', 'FinInstnId', 'BICFI'),
        name: text(account, 'Nm'),
      },
      currency: currency ?? lines[0]?.currency ?? '',
      openingBalance: opening?.amount ?? null,
      closingBalance: closing?.amount ?? null,
      openingDate: opening?.date ?? dateOf(child(r, 'FrToDt', 'FrDtTm')) ?? null,
      closingDate: closing?.date ?? null,
      lines,
    };
    return { ...statement, balanceCheck: balanceCheckOf(statement) };
  });
  return { format, statements };
}
