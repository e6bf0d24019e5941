/**
 * French display of the explanations the server writes in English plain text (score reasons,
 * order-check reasons, limit reasons, alert titles, matching reasons, legal-event titles). The API
 * keeps its English strings; the web app and the alert e-mails translate them for display only. Each entry recognises
 * one server template (anchored regular expression) and rebuilds the sentence in French; a text
 * no entry recognises (a reason typed by a person, a template added later) is shown as it is.
 */

type Entry = { pattern: RegExp; fr: (m: RegExpMatchArray) => string };

// Pieces of the patterns, each one capture.
const NUM = String.raw`(-?\d+(?:\.\d+)?)`;
const DATE = String.raw`(\d{4}-\d{2}-\d{2})`;
/** An amount from formatAmount, with or without its currency code: "9000.00", "9000.00 EUR". */
const AMOUNT = String.raw`(-?\d+(?:\.\d+)?(?: [A-Z]{3})?)`;
const SOURCE = '(insurer|provider|internal|policy)';
const PROCEDURE = '(procédure de sauvegarde|redressement judiciaire|liquidation judiciaire)';

/** A regular expression from a raw template: re`^an invoice is ${NUM} days overdue$`. */
const re = (strings: TemplateStringsArray, ...parts: string[]) => new RegExp(String.raw({ raw: strings.raw }, ...parts));

// French formatting of what the templates carry.
/** "12.5" → "12,5" */
const num = (n: string) => n.replace('.', ',');
/** "1.5" → "1,5 jour", "12" → "12 jours" (in French, the plural starts at 2). */
const days = (n: string) => `${num(n)} ${Math.abs(Number(n)) < 2 ? 'jour' : 'jours'}`;
/** "9000.00 EUR" → "9 000,00 EUR" (narrow no-break spaces, as Intl writes French numbers). */
const amount = (text: string) => {
  const [value, currency] = text.split(' ');
  const [whole, fraction] = value.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, '\u202f');
  return `${grouped}${fraction !== undefined ? `,${fraction}` : ''}${currency ? ` ${currency}` : ''}`;
};
/** "2026-10-03" → "03/10/2026" */
const date = (iso: string) => iso.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$3/$2/$1');
const onDate = (iso: string | undefined) => (iso ? ` le ${date(iso)}` : '');
/** "a, b, c" → "a, b et c" */
const list = (items: string[]) => (items.length > 1 ? `${items.slice(0, -1).join(', ')} et ${items[items.length - 1]}` : items.join(''));

const SOURCE_NAME: Record<string, string> = { insurer: 'assureur', provider: 'fournisseur de données', internal: 'décision interne', policy: 'politique de crédit' };
const SOURCE_OF: Record<string, string> = { insurer: 'de l’assureur', provider: 'du fournisseur de données', internal: 'interne', policy: 'de la politique de crédit' };
const PROVIDER_NAME: Record<string, string> = { creditsafe: 'Creditsafe', altares: 'Altares', allianz_trade: 'Allianz Trade', coface_dra: 'Coface', paydex: 'D&B Paydex', ellisphere: 'Ellisphere' };
const provider = (id: string) => PROVIDER_NAME[id] ?? id;
const OPENED: Record<string, string> = { 'procédure de sauvegarde': 'procédure de sauvegarde ouverte', 'redressement judiciaire': 'redressement judiciaire ouvert', 'liquidation judiciaire': 'liquidation judiciaire ouverte' };
const OPENING: Record<string, string> = { 'procédure de sauvegarde': 'ouverture d’une procédure de sauvegarde', 'redressement judiciaire': 'ouverture d’un redressement judiciaire', 'liquidation judiciaire': 'ouverture d’une liquidation judiciaire' };
const ZONE: Record<string, string> = { distress: 'zone de détresse', grey: 'zone grise', safe: 'zone saine' };

/** The labels of describeLegalEvent (src/domain/legal/legal-events.ts, KIND_LABEL). */
const LEGAL_EVENT: Record<string, string> = {
  'procédure de sauvegarde opened': OPENING['procédure de sauvegarde'],
  'redressement judiciaire opened': OPENING['redressement judiciaire'],
  'liquidation judiciaire opened': OPENING['liquidation judiciaire'],
  'procedure converted into liquidation judiciaire': 'conversion de la procédure en liquidation judiciaire',
  'continuation plan adopted': 'adoption d’un plan de continuation',
  'sale plan (plan de cession) adopted': 'adoption d’un plan de cession',
  'procedure closed': 'clôture de la procédure',
  'procedure closed for insufficient assets': 'clôture de la procédure pour insuffisance d’actif',
  conciliation: 'procédure de conciliation',
  'rétablissement professionnel': 'procédure de rétablissement professionnel',
  'deregistered from the trade register (radiation)': 'radiation du registre du commerce et des sociétés',
  'annual accounts filed': 'dépôt des comptes annuels',
  'business sold or transferred': 'vente ou cession du fonds de commerce',
  registered: 'immatriculation',
  'registration details changed': 'modification de l’immatriculation',
  'notice published': 'annonce publiée',
};
const LEGAL_LABELS = `(${Object.keys(LEGAL_EVENT).map((l) => l.replace(/[()]/g, '\\$&')).join('|')})`;

const ENTRIES: Entry[] = [
  // Payment behaviour, src/domain/scoring/customer-score.ts (behaviourScore); the last one is also
  // the payment-deterioration alert title (src/app/scoring/recompute-scores.ts).
  { pattern: re`^pays on average ${NUM} days late$`, fr: (m) => `retard moyen de paiement de ${days(m[1])}` },
  { pattern: re`^nothing paid in 12 months; open invoices on average ${NUM} days overdue$`, fr: (m) => `aucun règlement depuis 12 mois ; factures ouvertes échues depuis ${days(m[1])} en moyenne` },
  { pattern: re`^${NUM} % of invoices paid late$`, fr: (m) => `${num(m[1])} % des factures payées en retard` },
  { pattern: re`^an invoice is ${NUM} days overdue$`, fr: (m) => `une facture est échue depuis ${days(m[1])}` },
  { pattern: re`^1 promise to pay broken in 12 months$`, fr: () => '1 promesse de paiement non tenue en 12 mois' },
  { pattern: re`^${NUM} promises to pay broken in 12 months$`, fr: (m) => `${m[1]} promesses de paiement non tenues en 12 mois` },
  { pattern: re`^average days late rose from ${NUM} to ${NUM} in 3 months$`, fr: (m) => `le retard moyen de paiement est passé de ${num(m[1])} à ${days(m[2])} en 3 mois` },

  // Financial, external and legal parts of the score, src/domain/scoring/customer-score.ts.
  { pattern: re`^Altman Z″ ${NUM}: (distress|grey|safe) zone$`, fr: (m) => `Altman Z″ ${num(m[1])} : ${ZONE[m[2]]}` },
  { pattern: re`^(.+) score ${NUM}/100$`, fr: (m) => `score externe ${m[1]} : ${num(m[2])}/100` },
  { pattern: /^legal status unknown: no register has answered yet$/, fr: () => 'statut juridique inconnu : aucun registre n’a encore répondu' },
  { pattern: /^no payment history, accounts or external score yet$/, fr: () => 'pas encore d’historique de paiement, de comptes annuels ni de score externe' },
  { pattern: re`^company closed(?: on ${DATE})? \(radiation\)$`, fr: (m) => `société fermée${onDate(m[1])} (radiation)` },
  {
    pattern: re`^([^:]+): ${PROCEDURE} opened(?: ${DATE})?(, continuation plan in progress)?$`,
    fr: (m) => `${m[1]} : ${OPENING[m[2]]}${onDate(m[3])}${m[4] ? ', plan de continuation en cours' : ''}`,
  },

  // Legal-event titles, src/domain/legal/legal-events.ts (describeLegalEvent), also legal alert titles.
  { pattern: re`^([^:]+): ${LEGAL_LABELS} ${DATE}$`, fr: (m) => `${m[1]} : ${LEGAL_EVENT[m[2]]}${onDate(m[3])}` },
  // Company found ceased, src/app/companies/refresh-company-data.ts (alert title).
  { pattern: re`^Company ceased \(Sirene\)(?: on ${DATE})?$`, fr: (m) => `Société cessée (Sirene)${onDate(m[1])}` },

  // The limit in force, src/domain/credit/limits.ts (effectiveLimit).
  { pattern: /^no limit in force$/, fr: () => 'aucune limite en vigueur' },
  { pattern: re`^temporary ${SOURCE} limit until ${DATE}$`, fr: (m) => `limite temporaire ${SOURCE_OF[m[1]]} jusqu’au ${date(m[2])}` },
  { pattern: /^internal decision overrides other sources$/, fr: () => 'la décision interne prime sur les autres sources' },
  {
    pattern: re`^lowest of ((?:insurer|provider|internal|policy)(?:, (?:insurer|provider|internal|policy))*) limits \(${SOURCE}\)$`,
    fr: (m) => `limite la plus basse entre ${list(m[1].split(', ').map((s) => SOURCE_NAME[s]))} (retenue : ${SOURCE_NAME[m[2]]})`,
  },
  { pattern: re`^${SOURCE} limit$`, fr: (m) => `limite ${SOURCE_OF[m[1]]}` },

  // Policy limits, src/domain/credit/limits.ts (policyLimit).
  { pattern: /^band ([A-E]): no credit \(cash in advance or secured only\)$/, fr: (m) => `classe ${m[1]} : pas de crédit (paiement d’avance ou garanties uniquement)` },
  {
    pattern: re`^band ([A-E]): ${NUM} % of turnover \(lower than ${NUM} % of equity\)$`,
    fr: (m) => `classe ${m[1]} : ${num(m[2])} % du chiffre d’affaires (inférieur à ${num(m[3])} % des capitaux propres)`,
  },
  { pattern: re`^band ([A-E]): ${NUM} % of equity$`, fr: (m) => `classe ${m[1]} : ${num(m[2])} % des capitaux propres` },

  // Limits recorded by the app: src/app/credit/limit-requests.ts and src/app/scoring/import-ratings.ts.
  { pattern: /^limit request approved: (.*)$/s, fr: (m) => `demande de limite approuvée : ${m[1]}` },
  { pattern: /^([a-z0-9_]+) recommended limit$/, fr: (m) => `limite recommandée par ${provider(m[1])}` },
  { pattern: /^([a-z0-9_]+) cover$/, fr: (m) => `garantie de l’assureur ${provider(m[1])}` },

  // Order checks, src/domain/credit/limits.ts (checkOrder); the release by src/app/credit/release-held-orders.ts.
  { pattern: re`^company closed(?: on ${DATE})?: no new credit$`, fr: (m) => `société fermée${onDate(m[1])} : aucun nouveau crédit` },
  {
    pattern: re`^${PROCEDURE} opened(?: ${DATE})?: pre-opening claims are frozen$`,
    fr: (m) => `${OPENED[m[1]]}${onDate(m[2])} : les créances antérieures au jugement d’ouverture sont gelées`,
  },
  { pattern: /^customer is blocked$/, fr: () => 'client bloqué' },
  {
    pattern: re`^group (.+): exposure ${AMOUNT} \+ order ${AMOUNT} exceeds the group limit ${AMOUNT}$`,
    fr: (m) => `groupe ${m[1]} : encours ${amount(m[2])} + commande ${amount(m[3])} dépasse la limite de crédit du groupe ${amount(m[4])}`,
  },
  { pattern: /^no credit limit for this customer$/, fr: () => 'aucune limite de crédit pour ce client' },
  { pattern: /^no credit limit for this customer: held for review \(organisation setting\)$/, fr: () => 'aucune limite de crédit pour ce client : commande bloquée pour examen (paramètre de l’organisation)' },
  { pattern: /^no credit limit for this customer: accepted \(organisation setting\) and no invoice badly overdue$/, fr: () => 'aucune limite de crédit pour ce client : acceptée (paramètre de l’organisation) et aucune facture en retard important' },
  { pattern: /^no credit limit for this customer and no risk band for a default limit$/, fr: () => 'aucune limite de crédit pour ce client et aucune classe de risque pour une limite par défaut' },
  { pattern: /^no credit limit for this customer and no default limit for band ([A-E])$/, fr: (m) => `aucune limite de crédit pour ce client et aucune limite par défaut pour la classe ${m[1]}` },
  {
    pattern: re`^no credit limit for this customer: within the default limit of band ([A-E]) ${AMOUNT} and no invoice badly overdue$`,
    fr: (m) => `aucune limite de crédit pour ce client : dans la limite par défaut de la classe ${m[1]} (${amount(m[2])}) et aucune facture en retard important`,
  },
  {
    pattern: re`^no credit limit for this customer: exposure ${AMOUNT} \+ order ${AMOUNT} exceeds the default limit of band ([A-E]) ${AMOUNT}$`,
    fr: (m) => `aucune limite de crédit pour ce client : encours ${amount(m[1])} + commande ${amount(m[2])} dépasse la limite par défaut de la classe ${m[3]} (${amount(m[4])})`,
  },
  { pattern: /^within the group limit and no invoice badly overdue$/, fr: () => 'dans la limite de crédit du groupe et aucune facture en retard important' },
  {
    pattern: re`^exposure ${AMOUNT} \+ order ${AMOUNT} exceeds the limit ${AMOUNT}$`,
    fr: (m) => `encours ${amount(m[1])} + commande ${amount(m[2])} dépasse la limite de crédit ${amount(m[3])}`,
  },
  { pattern: re`^an invoice is ${NUM} days overdue \(tolerance ${NUM}\)$`, fr: (m) => `une facture est échue depuis ${days(m[1])} (tolérance : ${days(m[2])})` },
  { pattern: /^within the limit and no invoice badly overdue$/, fr: () => 'dans la limite de crédit et aucune facture en retard important' },
  {
    pattern: /^room made: the order now fits the limit and nothing is badly overdue$/,
    fr: () => 'place libérée : la commande tient désormais dans la limite de crédit et aucune facture n’est en retard important',
  },

  // Alert titles: src/app/scoring/recompute-scores.ts, src/app/credit/sweep-exposure.ts, src/app/credit/set-credit-limit.ts.
  { pattern: /^Risk band dropped from ([A-E]) to ([A-E])$/, fr: (m) => `Classe de risque dégradée de ${m[1]} à ${m[2]}` },
  { pattern: re`^Exposure at ${NUM} % of the credit limit \(threshold ${NUM} %\)$`, fr: (m) => `Encours à ${num(m[1])} % de la limite de crédit (seuil de ${num(m[2])} %)` },
  { pattern: re`^Insurer cover withdrawn \(was ${AMOUNT}\)$`, fr: (m) => `Garantie de l’assureur retirée (elle était de ${amount(m[1])})` },
  { pattern: re`^Insurer cover reduced from ${AMOUNT} to ${AMOUNT}$`, fr: (m) => `Garantie de l’assureur réduite de ${amount(m[1])} à ${amount(m[2])}` },

  // Bank matching, src/domain/matching/match-payment.ts (matchPayment and its amount reasons).
  { pattern: /^creditor reference (\S+) designates invoice (.+)$/, fr: (m) => `la référence créancier ${m[1]} désigne la facture ${m[2]}` },
  { pattern: /^remittance "(.*)" names (.+?)( \(by its digits\))?$/s, fr: (m) => `le libellé « ${m[1]} » mentionne ${m[2]}${m[3] ? ' (d’après les seuls chiffres)' : ''}` },
  { pattern: /^counterparty IBAN (\S+) is known for (.*)$/s, fr: (m) => `l’IBAN du donneur d’ordre ${m[1]} est connu pour ${m[2]}` },
  { pattern: /^counterparty name "(.*)" resembles (.*) \((\d+) %\)$/s, fr: (m) => `le nom du donneur d’ordre « ${m[1]} » ressemble à ${m[2]} (${m[3]} %)` },
  { pattern: /^no reference, invoice number or known payer found$/, fr: () => 'aucune référence, aucun numéro de facture ni donneur d’ordre connu' },
  { pattern: re`^amount ${AMOUNT} equals the open amount of (.+)$`, fr: (m) => `le montant ${amount(m[1])} correspond au reste dû de ${m[2]}` },
  { pattern: re`^no combination of open invoices equals ${AMOUNT}: allocated to the oldest first$`, fr: (m) => `aucune combinaison de factures ouvertes ne correspond à ${amount(m[1])} : affecté aux plus anciennes d’abord` },
  { pattern: /^the customer has no open invoice in this currency: unapplied cash$/, fr: () => 'le client n’a aucune facture ouverte dans cette devise : encaissement non affecté' },
  { pattern: /^amount equals the open amount$/, fr: () => 'le montant correspond au reste dû' },
  { pattern: re`^difference of ${AMOUNT} within the tolerance \(bank fees\)$`, fr: (m) => `écart de ${amount(m[1])} dans la tolérance (frais bancaires)` },
  { pattern: re`^${AMOUNT} more than the open amount: left unapplied$`, fr: (m) => `${amount(m[1])} de plus que le reste dû : laissé non affecté` },
  { pattern: re`^partial payment: ${AMOUNT} still open on (.+)$`, fr: (m) => `paiement partiel : ${amount(m[1])} restent dus sur ${m[2]}` },
];

/** The text in the language shown: French for a known server template, otherwise the text itself. */
export function localizeReason(text: string, language: string): string {
  if (!language?.startsWith('fr') || typeof text !== 'string') return text;
  for (const { pattern, fr } of ENTRIES) {
    const match = text.match(pattern);
    if (!match) continue;
    try {
      return fr(match);
    } catch {
      return text;
    }
  }
  return text;
}
