/**
 * OFX 1.x (SGML, closing tags optional on leaf elements) and 2.x (XML) bank and credit-card
 * statements: STMTRS / CCSTMTRS with STMTTRN transactions and LEDGERBAL.
 */
import { isDecimal, normalizeDecimal } from '../decimal';
import { type ParsedStatements, type Statement, StatementParseError, type StatementLine } from './types';

type OfxNode = { name: string; text: string | null; children: OfxNode[] };

export function isOfx(text: string): boolean {
  return /OFXHEADER|<OFX>|<\?OFX/i.test(text.slice(0, 4000));
}

/** Builds a tree from OFX tags, closing SGML leaf elements implicitly. */
function treeOf(text: string): OfxNode {
  const start = text.search(/<OFX>/i);
  if (start < 0) throw new StatementParseError('header', 'no <OFX> element');
  const root: OfxNode = { name: 'ROOT', text: null, children: [] };
  const stack: OfxNode[] = [root];
  const pattern = /<(\/?)([A-Za-z0-9.]+)[^>]*>([^<]*)/g;
  let m: RegExpExecArray | null;
  pattern.lastIndex = start;
  let count = 0;
  while ((m = pattern.exec(text)) !== null) {
    if (++count > 2_000_000) throw new StatementParseError('document', 'too many elements');
    const [, closing, rawName, rawText] = m;
    const name = rawName.toUpperCase();
    if (closing) {
      const index = stack.map((n) => n.name).lastIndexOf(name);
      if (index > 0) stack.length = index;
      continue;
    }
    const value = rawText.trim();
    const node: OfxNode = { name, text: value === '' ? null : decodeEntities(value), children: [] };
    stack[stack.length - 1].children.push(node);
    if (node.text === null) stack.push(node); // an aggregate: its children follow
  }
  return root;
}

function decodeEntities(value: string): string {
  return value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

function find(node: OfxNode, name: string): OfxNode | undefined {
  for (const c of node.children) {
    if (c.name === name) return c;
    const deep = find(c, name);
    if (deep) return deep;
  }
  return undefined;
}

function findAll(node: OfxNode, name: string, out: OfxNode[] = []): OfxNode[] {
  for (const c of node.children) {
    if (c.name === name) out.push(c);
    else findAll(c, name, out);
  }
  return out;
}

const value = (node: OfxNode | undefined, name: string) => (node ? (find(node, name)?.text ?? null) : null);

function dateOf(raw: string | null, at: string): string | null {
  if (!raw) return null;
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(raw);
  if (!m) throw new StatementParseError(at, `"${raw}" is not an OFX date`);
  return `${m[1]}-${m[2]}-${m[3]}`;
}

function amountOf(raw: string | null, at: string): string {
  if (raw === null) throw new StatementParseError(at, 'missing amount');
  let v = raw.replace(/\s/g, '');
  if (v.includes(',') && !v.includes('.')) v = v.replace(',', '.'); // decimal comma (French banks)
  v = v.replace(/,/g, '');
  if (!isDecimal(v)) throw new StatementParseError(at, `"${raw}" is not an amount`);
  return normalizeDecimal(v.startsWith('.') ? `0${v}` : v.replace(/^-\./, '-0.'));
}

export function parseOfx(text: string): ParsedStatements {
  const tree = treeOf(text);
  const responses = [...findAll(tree, 'STMTRS'), ...findAll(tree, 'CCSTMTRS')];
  if (responses.length === 0) throw new StatementParseError('OFX', 'no bank (STMTRS) or credit-card (CCSTMTRS) statement');
  const statements = responses.map((rs, index): Statement => {
    const at = `${rs.name}[${index + 1}]`;
    const currency = value(rs, 'CURDEF') ?? '';
    const account = find(rs, 'BANKACCTFROM') ?? find(rs, 'CCACCTFROM');
    const list = find(rs, 'BANKTRANLIST');
    const ledger = find(rs, 'LEDGERBAL');
    const lines = (list ? findAll(list, 'STMTTRN') : []).map((t, k): StatementLine => {
      const where = `${at}/STMTTRN[${k + 1}]`;
      const bookingDate = dateOf(value(t, 'DTPOSTED'), `${where}/DTPOSTED`);
      if (!bookingDate) throw new StatementParseError(`${where}/DTPOSTED`, 'transaction without posting date');
      const name = value(t, 'NAME') ?? value(find(t, 'PAYEE') ?? t, 'NAME');
      return {
        bookingDate,
        valueDate: dateOf(value(t, 'DTAVAIL') ?? value(t, 'DTUSER'), `${where}/DTUSER`),
        amount: amountOf(value(t, 'TRNAMT'), `${where}/TRNAMT`),
        currency: value(find(t, 'CURRENCY') ?? t, 'CURSYM') ?? currency,
        counterparty: { name, iban: null, bic: null },
        remittance: { unstructured: value(t, 'MEMO'), structured: null },
        endToEndId: null,
        reference: value(t, 'FITID') ?? value(t, 'REFNUM') ?? value(t, 'CHECKNUM'),
        bankTransactionCode: value(t, 'TRNTYPE'),
      };
    });
    const bankId = value(account, 'BANKID');
    const branchId = value(account, 'BRANCHID');
    const accountId = value(account, 'ACCTID');
    return {
      id: null,
      account: { iban: null, number: [bankId, branchId, accountId].filter(Boolean).join(' ') || null, bic: null, name: null },
      currency,
      // OFX states only the ledger balance at a date: there is no opening balance to check against.
      openingBalance: null,
      closingBalance: ledger ? amountOf(value(ledger, 'BALAMT'), `${at}/LEDGERBAL/BALAMT`) : null,
      openingDate: dateOf(value(list ?? rs, 'DTSTART'), `${at}/DTSTART`),
      closingDate: dateOf(value(ledger ?? rs, 'DTASOF') ?? value(list ?? rs, 'DTEND'), `${at}/DTASOF`),
      lines,
      balanceCheck: null,
    };
  });
  return { format: 'ofx', statements };
}
