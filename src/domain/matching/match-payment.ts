/**
 * Matches an incoming bank credit to open invoices (issue #3 §4), in this order:
 *   1. an ISO 11649 creditor reference (RF…) naming an invoice;
 *   2. invoice numbers found in the remittance text (tolerant of prefixes, separators, leading zeros);
 *   3. the customer (known IBAN, then similar name) with an amount combination of its open invoices
 *      (one invoice, several invoices, all of them, or a partial payment of the oldest).
 * Differences up to `tolerance` (bank fees) are accepted. Every proposal carries a confidence and
 * plain-language reasons; the caller applies it automatically above its threshold.
 */
import { creditorReferenceError } from '../identifiers';
import { formatAmount } from '../money';
import { invoiceNumberKeys, jaroWinkler, normalizeName, remittanceTokens, toAscii } from './normalize';

export type OpenInvoice = { id: string; number: string; customerId: string; currency: string; openAmount: number; dueDate: string };
export type KnownCustomer = { id: string; name: string; ibans: string[] };
export type BankCredit = { amount: number; currency: string; counterpartyName: string | null; counterpartyIban: string | null; remittance: string | null; structuredReference: string | null };

export type MatchProposal = {
  customerId: string | null;
  allocations: { invoiceId: string; invoiceNumber: string; amount: number }[];
  /** What stays unapplied (overpayment) — positive minor units. */
  unapplied: number;
  confidence: number;
  method: 'rf_reference' | 'invoice_number' | 'customer_amount' | 'customer_partial' | 'none';
  reasons: string[];
};

export type MatchingIndex = {
  byCompact: Map<string, OpenInvoice[]>;
  byDigits: Map<string, OpenInvoice[]>;
  byCustomer: Map<string, OpenInvoice[]>;
  customersByIban: Map<string, KnownCustomer>;
  customersByToken: Map<string, KnownCustomer[]>;
  customerNames: Map<string, string>;
};

const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/** Builds the lookups once for a batch of lines: matching each line is then proportional to its own candidates. */
export function buildMatchingIndex(options: { invoices: OpenInvoice[]; customers: KnownCustomer[] }): MatchingIndex {
  const index: MatchingIndex = { byCompact: new Map(), byDigits: new Map(), byCustomer: new Map(), customersByIban: new Map(), customersByToken: new Map(), customerNames: new Map() };
  for (const invoice of options.invoices) {
    if (invoice.openAmount <= 0) continue;
    const keys = invoiceNumberKeys(invoice.number);
    push(index.byCompact, keys.compact, invoice);
    if (keys.digits) push(index.byDigits, keys.digits, invoice);
    push(index.byCustomer, invoice.customerId, invoice);
  }
  for (const list of index.byCustomer.values()) list.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
  for (const customer of options.customers) {
    const name = normalizeName(customer.name);
    index.customerNames.set(customer.id, name);
    for (const iban of customer.ibans) index.customersByIban.set(iban.replace(/\s/g, '').toUpperCase(), customer);
    for (const token of new Set(name.split(' ').filter((t) => t.length >= 3))) push(index.customersByToken, token, customer);
  }
  return index;
}

/** Allocates `amount` over invoices in order (oldest first), never more than each one's open amount. */
function allocateInOrder(amount: number, invoices: OpenInvoice[], tolerance: number) {
  const allocations: MatchProposal['allocations'] = [];
  let left = amount;
  for (const invoice of invoices) {
    if (left <= 0) break;
    const part = Math.min(left, invoice.openAmount);
    allocations.push({ invoiceId: invoice.id, invoiceNumber: invoice.number, amount: part });
    left -= part;
  }
  const owed = invoices.reduce((s, i) => s + i.openAmount, 0);
  return { allocations, unapplied: Math.max(0, left), shortfall: Math.max(0, owed - amount), isWithinTolerance: Math.abs(owed - amount) <= tolerance };
}

/** Subset of at most `maxItems` oldest invoices whose open amounts sum to `target` ± tolerance (bounded search). */
function findCombination(invoices: OpenInvoice[], target: number, tolerance: number, maxItems = 12): OpenInvoice[] | null {
  const candidates = invoices.slice(0, maxItems);
  let best: OpenInvoice[] | null = null;
  let steps = 0;
  const search = (start: number, chosen: OpenInvoice[], sum: number) => {
    if (best || ++steps > 5_000) return;
    if (chosen.length > 0 && Math.abs(sum - target) <= tolerance) {
      best = [...chosen];
      return;
    }
    for (let i = start; i < candidates.length; i++) {
      if (sum + candidates[i].openAmount > target + tolerance) continue;
      chosen.push(candidates[i]);
      search(i + 1, chosen, sum + candidates[i].openAmount);
      chosen.pop();
    }
  };
  search(0, [], 0);
  return best;
}

export function matchPayment(options: { credit: BankCredit; index: MatchingIndex; tolerance: number }): MatchProposal {
  const { credit, index, tolerance } = options;
  const money = (minor: number) => formatAmount(minor, credit.currency);
  const amountReasons = (result: Parameters<typeof amountReasonsIn>[0], invoices: OpenInvoice[]) => amountReasonsIn(result, invoices, money);
  const sameCurrency = (i: OpenInvoice) => i.currency === credit.currency;
  const text = [credit.structuredReference, credit.remittance].filter(Boolean).join(' ');

  // 1. ISO 11649 creditor reference.
  for (const candidate of toAscii(text).replace(/\s+(?=[A-Z0-9]{4}\b)/g, '').match(/RF\d{2}[A-Z0-9]{1,21}/g) ?? []) {
    if (creditorReferenceError(candidate)) continue;
    const found = (index.byCompact.get(candidate.slice(4)) ?? []).filter(sameCurrency);
    if (found.length === 1) {
      const result = allocateInOrder(credit.amount, found, tolerance);
      return {
        customerId: found[0].customerId,
        ...result,
        confidence: result.shortfall === 0 || result.isWithinTolerance ? 0.99 : 0.8,
        method: 'rf_reference',
        reasons: [`creditor reference ${candidate} designates invoice ${found[0].number}`, ...amountReasons(result, found)],
      };
    }
  }

  // 2. Invoice numbers in the remittance text.
  if (text) {
    const tokens = remittanceTokens(text);
    const found = new Map<string, OpenInvoice>();
    const via = new Map<string, string>();
    for (const t of tokens.compact) for (const i of index.byCompact.get(t) ?? []) if (sameCurrency(i)) { found.set(i.id, i); via.set(i.id, 'exact'); }
    for (const d of tokens.digits) for (const i of index.byDigits.get(d) ?? []) if (sameCurrency(i) && !found.has(i.id)) { found.set(i.id, i); via.set(i.id, 'digits'); }
    // Numbers shared by several customers are ambiguous unless the counterparty settles it.
    const customers = new Set([...found.values()].map((i) => i.customerId));
    if (found.size > 0 && customers.size === 1) {
      const invoices = [...found.values()].sort((a, b) => (a.dueDate < b.dueDate ? -1 : 1));
      const result = allocateInOrder(credit.amount, invoices, tolerance);
      const isExact = result.shortfall === 0 && result.unapplied === 0;
      const onlyDigits = invoices.every((i) => via.get(i.id) === 'digits');
      const confidence = (isExact || result.isWithinTolerance ? 0.95 : result.unapplied > 0 ? 0.75 : 0.85) - (onlyDigits ? 0.05 : 0);
      return {
        customerId: invoices[0].customerId,
        ...result,
        confidence: round2(confidence),
        method: 'invoice_number',
        reasons: [`remittance "${truncate(text)}" names ${invoices.map((i) => i.number).join(', ')}${onlyDigits ? ' (by its digits)' : ''}`, ...amountReasons(result, invoices)],
      };
    }
  }

  // 3. The customer, then an amount combination of its open invoices.
  let customer: KnownCustomer | undefined;
  let customerReason = '';
  let customerWeight = 0;
  let isKnownIban = false;
  const iban = credit.counterpartyIban?.replace(/\s/g, '').toUpperCase();
  if (iban && index.customersByIban.has(iban)) {
    customer = index.customersByIban.get(iban);
    customerReason = `counterparty IBAN ${iban} is known for ${customer?.name}`;
    customerWeight = 1;
    isKnownIban = true;
  } else if (credit.counterpartyName) {
    const name = normalizeName(credit.counterpartyName);
    // Candidates share the name's rarest words: common words ("TRANSPORTS") would bring thousands.
    const lists = name
      .split(' ')
      .filter((t) => t.length >= 3)
      .map((t) => index.customersByToken.get(t) ?? [])
      .filter((l) => l.length > 0)
      .sort((a, b) => a.length - b.length);
    const candidates = new Set<KnownCustomer>();
    for (const list of lists) {
      if (candidates.size > 0 && candidates.size + list.length > 300) break;
      for (const c of list.slice(0, 300)) candidates.add(c);
    }
    let best = 0;
    for (const c of candidates) {
      const score = jaroWinkler(name, index.customerNames.get(c.id) ?? '');
      if (score > best) {
        best = score;
        customer = c;
      }
    }
    if (best < 0.88) customer = undefined;
    else {
      customerReason = `counterparty name "${credit.counterpartyName}" resembles ${customer?.name} (${Math.round(best * 100)} %)`;
      customerWeight = best;
    }
  }
  if (!customer) return { customerId: null, allocations: [], unapplied: credit.amount, confidence: 0, method: 'none', reasons: ['no reference, invoice number or known payer found'] };

  const open = (index.byCustomer.get(customer.id) ?? []).filter(sameCurrency);
  const single = open.find((i) => Math.abs(i.openAmount - credit.amount) <= tolerance);
  const combination = single ? [single] : findCombination(open, credit.amount, tolerance);
  if (combination) {
    const result = allocateInOrder(credit.amount, combination, tolerance);
    return {
      customerId: customer.id,
      ...result,
      // A payer known by IBAN is trusted; one recognised by its name alone goes to review by default.
      confidence: round2((combination.length === 1 ? 0.92 : 0.88) - (customerWeight === 1 && isKnownIban ? 0 : 0.12 + (1 - customerWeight) * 0.5)),
      method: 'customer_amount',
      reasons: [customerReason, `amount ${money(credit.amount)} equals the open amount of ${combination.map((i) => i.number).join(' + ')}`, ...amountReasons(result, combination)],
    };
  }
  if (open.length > 0) {
    const result = allocateInOrder(credit.amount, open, tolerance);
    return {
      customerId: customer.id,
      ...result,
      confidence: 0.5,
      method: 'customer_partial',
      reasons: [customerReason, `no combination of open invoices equals ${money(credit.amount)}: allocated to the oldest first`],
    };
  }
  return { customerId: customer.id, allocations: [], unapplied: credit.amount, confidence: 0.4, method: 'customer_partial', reasons: [customerReason, 'the customer has no open invoice in this currency: unapplied cash'] };
}

function amountReasonsIn(result: { shortfall: number; unapplied: number; isWithinTolerance: boolean }, invoices: OpenInvoice[], money: (minor: number) => string): string[] {
  if (result.shortfall === 0 && result.unapplied === 0) return ['amount equals the open amount'];
  if (result.isWithinTolerance) return [`difference of ${money(Math.abs(result.shortfall - result.unapplied))} within the tolerance (bank fees)`];
  if (result.unapplied > 0) return [`${money(result.unapplied)} more than the open amount: left unapplied`];
  return [`partial payment: ${money(result.shortfall)} still open on ${invoices.map((i) => i.number).join(', ')}`];
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const truncate = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}…` : s);
