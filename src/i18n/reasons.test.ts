import { describe, expect, it } from 'vitest';
import { checkOrder, type CreditLimit, effectiveLimit, policyLimit } from '../domain/credit/limits';
import { creditorReference } from '../domain/identifiers';
import { describeLegalEvent, type LegalEventKind } from '../domain/legal/legal-events';
import { buildMatchingIndex, matchPayment, type OpenInvoice } from '../domain/matching/match-payment';
import { formatAmount } from '../domain/money';
import { behaviourScore, customerScore, financialScore, type ScoreInputs } from '../domain/scoring/customer-score';
import { localizeReason } from './reasons';

/** English words that must not survive in any French sentence (template words, not data). */
const ENGLISH = /\b(the|of|is|an|on|to|from|for|and|no|yet|days?|late|overdue|exceeds|opened|closed|amount|invoices?|order|exposure|band|limits?|cover|group|customer|temporary|until|lowest|insurer|provider|policy|internal|turnover|equity|partial|within|equals|reference|names|resembles|known|difference|more|than|unapplied|plan adopted|procedure|registered|notice|published|filed|sold|accounts?|history|blocked|tolerance|threshold|dropped|withdrawn|reduced|ceased|recommended|approved|distress|grey|company)\b/i;

/** The French display of a server text: different from it, and free of the template's English words. */
function expectFrench(text: string, english: RegExp) {
  const fr = localizeReason(text, 'fr');
  expect(fr, text).not.toBe(text);
  expect(fr, `${text} → ${fr}`).not.toMatch(english);
  expect(fr, `${text} → ${fr}`).not.toMatch(ENGLISH);
  return fr;
}

const score = (inputs: ScoreInputs) => customerScore({ inputs, policyVersion: 'test' }).reasons;
const eur = (minor: number) => `${formatAmount(minor, 'EUR')} EUR`;

describe('score reasons (src/domain/scoring/customer-score.ts)', () => {
  it('translates the payment-behaviour reasons', () => {
    const { reasons } = behaviourScore({ weightedDaysLate3m: 25.44, weightedDaysLate12m: 12.5, shareLate: 0.6, maxDaysOverdue: 120 });
    expect(reasons).toHaveLength(4);
    const [average, share, overdue, trend] = reasons;
    expect(expectFrench(average, /\b(pays|average|days late)\b/)).toBe('retard moyen de paiement de 12,5 jours');
    expect(expectFrench(share, /\b(invoices|paid late)\b/)).toBe('60 % des factures payées en retard');
    expect(expectFrench(overdue, /\b(days overdue|invoice)\b/)).toBe('une facture est échue depuis 120 jours');
    expect(expectFrench(trend, /\b(rose|average|months)\b/)).toBe('le retard moyen de paiement est passé de 12,5 à 25,4 jours en 3 mois');
    expect(localizeReason(behaviourScore({ weightedDaysLate3m: null, weightedDaysLate12m: 1, shareLate: null, maxDaysOverdue: 0 }).reasons[0], 'fr')).toBe('retard moyen de paiement de 1 jour');
    const unpaid = behaviourScore({ weightedDaysLate3m: null, weightedDaysLate12m: null, shareLate: null, maxDaysOverdue: 45, weightedDaysOverdueOpen: 30.25 }).reasons[0];
    expect(expectFrench(unpaid, /\b(nothing paid|open invoices|overdue)\b/)).toBe('aucun règlement depuis 12 mois ; factures ouvertes échues depuis 30,3 jours en moyenne');
  });

  it('translates the financial, external and "nothing known" reasons', () => {
    expect(expectFrench(financialScore(0.85).reasons[0], /\b(distress|zone:)\b/)).toBe('Altman Z″ 0,85 : zone de détresse');
    expectFrench(financialScore(1.8).reasons[0], /\b(grey)\b/);
    expect(financialScore(3).reasons).toEqual([]);
    const external = score({ external: [{ provider: 'Creditsafe', score: 25 }, { provider: 'D&B Paydex', score: 12 }] });
    expect(external).toHaveLength(2);
    expect(expectFrench(external[0], /\bCreditsafe score\b/)).toBe('score externe Creditsafe : 25/100');
    expectFrench(external[1], /\bPaydex score\b/);
    expectFrench(score({})[0], /\b(no payment history|accounts|yet)\b/);
  });

  it('translates the legal reasons, with and without dates and plans', () => {
    const closed = score({ legal: { procedure: null, isClosed: true, closedOn: '2022-11-23' } })[0];
    expect(expectFrench(closed, /\b(company|closed)\b/)).toBe('société fermée le 23/11/2022 (radiation)');
    expectFrench(score({ legal: { procedure: null, isClosed: true } })[0], /\b(company|closed)\b/);
    for (const procedure of ['sauvegarde', 'redressement', 'liquidation'] as const) {
      for (const openedOn of ['2026-10-03', null]) {
        for (const underPlan of [false, true]) {
          expectFrench(score({ legal: { procedure, openedOn, underPlan } })[0], /\b(opened|continuation plan|in progress)\b/);
        }
      }
    }
    expect(localizeReason(score({ legal: { procedure: 'redressement', openedOn: '2026-10-03', underPlan: true } })[0], 'fr')).toBe(
      'BODACC : ouverture d’un redressement judiciaire le 03/10/2026, plan de continuation en cours',
    );
  });
});

describe('limit reasons (src/domain/credit/limits.ts and the app layer)', () => {
  const limit = (source: CreditLimit['source'], amount: number, validUntil: string | null = null): CreditLimit => ({ source, amount, validFrom: '2026-01-01', validUntil, reason: null });

  it('translates every reason of effectiveLimit', () => {
    expectFrench(effectiveLimit([], '2026-06-01').reason, /\b(no limit|in force)\b/);
    for (const source of ['insurer', 'provider', 'internal', 'policy'] as const) {
      expectFrench(effectiveLimit([limit(source, 100, '2026-12-31')], '2026-06-01').reason, /\b(temporary|limit|until)\b/);
    }
    expect(localizeReason(effectiveLimit([limit('insurer', 100, '2026-12-31')], '2026-06-01').reason, 'fr')).toBe('limite temporaire de l’assureur jusqu’au 31/12/2026');
    expectFrench(effectiveLimit([limit('internal', 100), limit('insurer', 50)], '2026-06-01').reason, /\b(internal decision|overrides|other)\b/);
    for (const source of ['insurer', 'provider', 'policy'] as const) expectFrench(effectiveLimit([limit(source, 100)], '2026-06-01').reason, /\blimit\b/);
    const lowest = effectiveLimit([limit('insurer', 500), limit('provider', 300), limit('policy', 900)], '2026-06-01').reason;
    expect(lowest).toBe('lowest of insurer, policy, provider limits (provider)');
    expect(expectFrench(lowest, /\b(lowest|limits)\b/)).toBe('limite la plus basse entre assureur, politique de crédit et fournisseur de données (retenue : fournisseur de données)');
    expectFrench(effectiveLimit([limit('insurer', 500), limit('policy', 300)], '2026-06-01').reason, /\b(lowest|limits)\b/);
  });

  it('translates every reason of policyLimit', () => {
    expect(expectFrench(policyLimit({ band: 'D', equity: 1_000_000 })!.reason, /\b(no credit|cash in advance|secured)\b/)).toBe(
      'classe D : pas de crédit (paiement d’avance ou garanties uniquement)',
    );
    const byRevenue = policyLimit({ band: 'A', equity: 100_000_000, revenue: 10_000_000 })!.reason;
    expect(expectFrench(byRevenue, /\b(turnover|lower than|equity)\b/)).toBe('classe A : 5 % du chiffre d’affaires (inférieur à 35 % des capitaux propres)');
    expectFrench(policyLimit({ band: 'B', equity: 100_000_000 })!.reason, /\b(equity|band)\b/);
    expect(localizeReason(policyLimit({ band: 'C', equity: 1_000, policy: { C: { equityPercent: 7.5 } } })!.reason, 'fr')).toBe('classe C : 7,5 % des capitaux propres');
  });

  it('translates the limit reasons written by the app layer (literal samples of its templates)', () => {
    expect(expectFrench('limit request approved: nouveau contrat cadre', /\b(limit request|approved)\b/)).toBe('demande de limite approuvée : nouveau contrat cadre');
    expect(expectFrench('creditsafe recommended limit', /\b(recommended|limit)\b/)).toBe('limite recommandée par Creditsafe');
    expect(expectFrench('allianz_trade cover', /\bcover\b/)).toBe('garantie de l’assureur Allianz Trade');
    expectFrench('coface_dra cover', /\bcover\b/);
  });
});

describe('order-check reasons (checkOrder in src/domain/credit/limits.ts)', () => {
  const base = { amount: 150_000, exposure: 900_000, limit: 1_000_000, oldestOverdueDays: 0, format: eur };

  it('translates the refusals', () => {
    const closed = checkOrder({ ...base, legal: { procedure: null, openedOn: null, underPlan: false, isClosed: true, closedOn: '2024-03-01' } });
    expect(closed.decision).toBe('refused');
    expect(expectFrench(closed.reasons[0], /\b(company closed|no new credit)\b/)).toBe('société fermée le 01/03/2024 : aucun nouveau crédit');
    expectFrench(checkOrder({ ...base, legal: { procedure: null, openedOn: null, underPlan: false, isClosed: true, closedOn: null } }).reasons[0], /\b(company closed|no new credit)\b/);
    for (const procedure of ['sauvegarde', 'redressement', 'liquidation'] as const) {
      for (const openedOn of ['2026-10-03', null]) {
        const { reasons } = checkOrder({ ...base, legal: { procedure, openedOn, underPlan: false, isClosed: false, closedOn: null } });
        expectFrench(reasons[0], /\b(opened|pre-opening|claims|frozen)\b/);
      }
    }
    expect(localizeReason(checkOrder({ ...base, legal: { procedure: 'redressement', openedOn: '2026-10-03', underPlan: false, isClosed: false, closedOn: null } }).reasons[0], 'fr')).toBe(
      'redressement judiciaire ouvert le 03/10/2026 : les créances antérieures au jugement d’ouverture sont gelées',
    );
    const blocked = checkOrder({ ...base, blocked: true });
    expect(blocked.decision).toBe('refused');
    expect(expectFrench(blocked.reasons[0], /\b(customer|blocked)\b/)).toBe('client bloqué');
    const noLimit = checkOrder({ ...base, limit: null, requireLimit: true });
    expect(noLimit.decision).toBe('refused');
    expectFrench(noLimit.reasons[0], /\b(no credit limit|customer)\b/);
  });

  it('translates the holds and the acceptance', () => {
    const held = checkOrder({ ...base, amount: 150_000, oldestOverdueDays: 75, group: { exposure: 5_000_000, limit: 5_000_000, name: 'Groupe Dupont' } });
    expect(held.decision).toBe('on_hold');
    const [group, own, overdue] = held.reasons;
    expect(expectFrench(group, /\b(group limit|exposure|exceeds|order)\b/)).toBe(
      'groupe Groupe Dupont : encours 50\u202f000,00 EUR + commande 1\u202f500,00 EUR dépasse la limite de crédit du groupe 50\u202f000,00 EUR',
    );
    expect(expectFrench(own, /\b(exposure|exceeds|limit|order)\b/)).toBe('encours 9\u202f000,00 EUR + commande 1\u202f500,00 EUR dépasse la limite de crédit 10\u202f000,00 EUR');
    expect(expectFrench(overdue, /\b(days overdue|tolerance)\b/)).toBe('une facture est échue depuis 75 jours (tolérance : 60 jours)');
    // Without the currency (as when held orders are re-examined), and with a negative exposure.
    expectFrench(checkOrder({ ...base, exposure: -12_345, amount: 2_000_000, format: (m) => formatAmount(m, 'EUR') }).reasons[0], /\b(exposure|exceeds)\b/);
    expectFrench(checkOrder({ ...base, amount: 1 }).reasons[0], /\b(within the limit|badly overdue)\b/);
    expectFrench('room made: the order now fits the limit and nothing is badly overdue', /\b(room made|fits|nothing)\b/);
  });

  it('translates what a customer without any limit gets, under each organisation setting', () => {
    const none = { ...base, limit: null };
    const band = (b: string | null, amount: number | null) => checkOrder({ ...none, noLimit: 'band', defaultLimit: { band: b, amount } }).reasons[0];
    const texts = [
      checkOrder({ ...none, noLimit: 'accept' }).reasons[0],
      checkOrder({ ...none, noLimit: 'hold' }).reasons[0],
      band(null, null),
      band('D', null),
      band('B', 2_000_000),
      band('B', 1_000_000),
      checkOrder({ ...none, group: { exposure: 0, limit: 5_000_000, name: 'Groupe Dupont' } }).reasons[0],
    ];
    for (const text of texts) expectFrench(text, /\b(no credit limit|customer|held|review|setting|default|within)\b/);
    expect(localizeReason(texts[5], 'fr')).toBe('aucune limite de crédit pour ce client : encours 9\u202f000,00 EUR + commande 1\u202f500,00 EUR dépasse la limite par défaut de la classe B (10\u202f000,00 EUR)');
  });
});

describe('legal-event titles (describeLegalEvent in src/domain/legal/legal-events.ts)', () => {
  // Every kind: the type makes this list fail to compile when a kind is added.
  const KINDS: Record<LegalEventKind, true> = {
    opening_sauvegarde: true, opening_redressement: true, opening_liquidation: true, conversion_liquidation: true, plan_continuation: true, plan_cession: true,
    closure: true, closure_insufficient_assets: true, conciliation: true, retablissement_professionnel: true, deregistered: true, accounts_filed: true,
    business_sold: true, registration: true, modification: true, other: true,
  };

  it('translates the title of every kind of event, from BODACC or another source', () => {
    for (const kind of Object.keys(KINDS) as LegalEventKind[]) {
      expectFrench(describeLegalEvent({ kind, publishedOn: '2026-10-05', judgmentDate: '2026-10-03' }), /\b(opened|adopted|closed|deregistered|trade register|filed|sold|registered|changed|notice|published|converted)\b/);
      expectFrench(describeLegalEvent({ kind, publishedOn: '2026-10-05' }, 'Infogreffe'), /\b(opened|adopted|closed|deregistered|filed|sold|registered|changed|notice)\b/);
    }
    expect(localizeReason(describeLegalEvent({ kind: 'deregistered', publishedOn: '2022-11-23' }), 'fr')).toBe('BODACC : radiation du registre du commerce et des sociétés le 23/11/2022');
    expect(localizeReason(describeLegalEvent({ kind: 'opening_liquidation', publishedOn: '2026-10-05', judgmentDate: '2026-10-03' }), 'fr')).toBe(
      'BODACC : ouverture d’une liquidation judiciaire le 03/10/2026',
    );
    expect(localizeReason(describeLegalEvent({ kind: 'closure_insufficient_assets', publishedOn: '2026-10-05' }), 'fr')).toBe(
      'BODACC : clôture de la procédure pour insuffisance d’actif le 05/10/2026',
    );
  });
});

describe('alert titles built in the app layer (literal samples of their templates)', () => {
  it('translates band drops, payment deterioration, thresholds, insurer cover and ceased companies', () => {
    expect(expectFrench('Risk band dropped from B to D', /\b(Risk band|dropped)\b/)).toBe('Classe de risque dégradée de B à D');
    expectFrench('average days late rose from 4 to 18.3 in 3 months', /\b(rose|average)\b/);
    expect(expectFrench('Exposure at 93.5 % of the credit limit (threshold 90 %)', /\b(Exposure|credit limit|threshold)\b/)).toBe('Encours à 93,5 % de la limite de crédit (seuil de 90 %)');
    expectFrench('Exposure at 120 % of the credit limit (threshold 100 %)', /\b(Exposure|credit limit|threshold)\b/);
    expect(expectFrench('Insurer cover withdrawn (was 50000.00 EUR)', /\b(Insurer cover|withdrawn|was)\b/)).toBe('Garantie de l’assureur retirée (elle était de 50\u202f000,00 EUR)');
    expect(expectFrench('Insurer cover reduced from 50000.00 EUR to 20000.00 EUR', /\b(Insurer cover|reduced)\b/)).toBe('Garantie de l’assureur réduite de 50\u202f000,00 EUR à 20\u202f000,00 EUR');
    expect(expectFrench('Company ceased (Sirene) on 2024-06-30', /\b(Company ceased|on)\b/)).toBe('Société cessée (Sirene) le 30/06/2024');
    expectFrench('Company ceased (Sirene)', /\b(Company ceased)\b/);
  });
});

describe('matching reasons (matchPayment in src/domain/matching/match-payment.ts)', () => {
  const invoices: OpenInvoice[] = [
    { id: 'i1', number: 'FA-2025-000123', customerId: 'c1', currency: 'EUR', openAmount: 120_000, dueDate: '2025-02-01' },
    { id: 'i2', number: 'FA-2025-000124', customerId: 'c1', currency: 'EUR', openAmount: 30_000, dueDate: '2025-03-01' },
    { id: 'i3', number: 'FA-2025-000125', customerId: 'c1', currency: 'EUR', openAmount: 45_050, dueDate: '2025-04-01' },
    { id: 'i4', number: 'INV2025000999', customerId: 'c2', currency: 'EUR', openAmount: 99_900, dueDate: '2025-02-15' },
  ];
  const customers = [
    { id: 'c1', name: 'Boulangerie Dupont SARL', ibans: ['FR7630006000011234567890189'] },
    { id: 'c2', name: 'Transports Martin SAS', ibans: [] },
    { id: 'c3', name: 'Électricité Générale Lefèvre', ibans: ['DE89370400440532013000'] },
  ];
  const index = buildMatchingIndex({ invoices, customers });
  const match = (over: Partial<Parameters<typeof matchPayment>[0]['credit']>, tolerance = 500) =>
    matchPayment({ credit: { amount: 0, currency: 'EUR', counterpartyName: null, counterpartyIban: null, remittance: null, structuredReference: null, ...over }, index, tolerance }).reasons;

  it('translates every reason a proposal can carry', () => {
    const generated = [
      ...match({ amount: 30_000, structuredReference: creditorReference('FA2025000124') }),
      ...match({ amount: 150_000, remittance: 'VIR SEPA DUPONT FACT FA2025000123 ET 2025-000124' }),
      ...match({ amount: 45_050, remittance: 'paiement 2025000125' }),
      ...match({ amount: 119_850, remittance: 'FA-2025-000123' }),
      ...match({ amount: 60_000, remittance: 'FA-2025-000123' }, 0),
      ...match({ amount: 130_000, remittance: 'FA-2025-000123' }, 0),
      ...match({ amount: 45_050, counterpartyIban: 'FR76 3000 6000 0112 3456 7890 189' }),
      ...match({ amount: 99_900, counterpartyName: 'TRANSPORTS MARTIN' }),
      ...match({ amount: 1_000, counterpartyIban: 'FR7630006000011234567890189' }, 0),
      ...match({ amount: 1_000, counterpartyIban: 'DE89370400440532013000' }),
      ...match({ amount: 5 }),
    ];
    const expected = [
      /^creditor reference RF\w+ designates invoice FA-2025-000124$/,
      /^remittance "VIR SEPA DUPONT FACT FA2025000123 ET 2025-000124" names FA-2025-000123, FA-2025-000124$/,
      /^remittance "paiement 2025000125" names FA-2025-000125 \(by its digits\)$/,
      /^amount equals the open amount$/,
      /^difference of 1\.50 within the tolerance \(bank fees\)$/,
      /^partial payment: 600\.00 still open on FA-2025-000123$/,
      /^100\.00 more than the open amount: left unapplied$/,
      /^counterparty IBAN FR7630006000011234567890189 is known for Boulangerie Dupont SARL$/,
      /^amount 450\.50 equals the open amount of FA-2025-000125$/,
      /^counterparty name "TRANSPORTS MARTIN" resembles Transports Martin SAS \(\d+ %\)$/,
      /^no combination of open invoices equals 10\.00: allocated to the oldest first$/,
      /^the customer has no open invoice in this currency: unapplied cash$/,
      /^no reference, invoice number or known payer found$/,
    ];
    for (const pattern of expected) expect(generated.some((r) => pattern.test(r)), String(pattern)).toBe(true);
    for (const reason of new Set(generated)) {
      expectFrench(reason, /\b(creditor reference|designates|remittance|names|by its digits|counterparty|resembles|equals|open amount|bank fees|still open|unapplied|allocated|oldest|payer found|currency)\b/);
    }
    expect(localizeReason('remittance "VIR SEPA DUPONT FACT FA2025000123 ET 2025-000124" names FA-2025-000123, FA-2025-000124', 'fr')).toBe(
      'le libellé « VIR SEPA DUPONT FACT FA2025000123 ET 2025-000124 » mentionne FA-2025-000123, FA-2025-000124',
    );
    expect(localizeReason('partial payment: 600.00 still open on FA-2025-000123', 'fr')).toBe('paiement partiel : 600,00 restent dus sur FA-2025-000123');
    expect(localizeReason('amount 1450.50 equals the open amount of FA-1 + FA-2', 'fr')).toBe('le montant 1\u202f450,50 correspond au reste dû de FA-1 + FA-2');
  });
});

describe('localizeReason', () => {
  it('returns the text unchanged in English, or when no template matches', () => {
    for (const text of ['pays on average 12.5 days late', 'Risk band dropped from B to D', 'BODACC: liquidation judiciaire opened 2026-10-03']) {
      expect(localizeReason(text, 'en')).toBe(text);
      expect(localizeReason(text, 'en-GB')).toBe(text);
      expect(localizeReason(text, 'fr-FR')).not.toBe(text);
    }
    for (const text of ['nouveau contrat cadre', 'e2e', '', 'something the server says one day', 'band Z: 10 % of equity']) expect(localizeReason(text, 'fr')).toBe(text);
  });
});
