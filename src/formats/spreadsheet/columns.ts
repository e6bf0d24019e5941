/**
 * Spreadsheet headers mapped to ledger fields, in French and English, as ERPs and accountants
 * write them ("N° facture", "Date d'échéance", "Montant TTC", "Raison sociale", "Invoice No"…).
 */
import { toAscii } from '../../domain/matching/normalize';

export type Entity = 'customers' | 'invoices' | 'payments' | 'orders' | 'ratings' | 'financials';
export const ENTITIES: Entity[] = ['customers', 'invoices', 'payments', 'orders', 'ratings', 'financials'];

// Bureau and insurer files name companies by SIREN rather than by customer code.
const COMPANY_KEY = {
  customerRef: ['code client', 'n client', 'numero client', 'compte client', 'client', 'code tiers', 'tiers', 'customer code', 'customer id', 'customer', 'customer ref', 'account'],
  siren: ['siren', 'n siren', 'numero siren', 'numero d entreprise', 'identifiant entreprise', 'company number', 'registration number', 'company registration number'],
};

const SYNONYMS: Record<Entity, Record<string, string[]>> = {
  customers: {
    externalRef: ['code client', 'n client', 'numero client', 'no client', 'num client', 'compte client', 'id client', 'customer code', 'customer id', 'customer no', 'customer number', 'customer ref', 'account', 'external ref', 'externalref', 'code tiers', 'tiers'],
    legalName: ['raison sociale', 'nom', 'nom client', 'societe', 'client', 'denomination', 'customer name', 'company name', 'company', 'name', 'legal name', 'legalname'],
    siren: ['siren', 'n siren', 'numero siren'],
    siret: ['siret', 'n siret', 'numero siret'],
    vatNumber: ['n tva', 'tva', 'numero tva', 'tva intracommunautaire', 'n tva intracommunautaire', 'vat', 'vat number', 'vat no', 'vatnumber'],
    lei: ['lei'],
    country: ['pays', 'code pays', 'country', 'country code'],
    addressLine1: ['adresse', 'adresse 1', 'rue', 'address', 'address 1', 'address line 1', 'street'],
    addressLine2: ['adresse 2', 'complement adresse', 'address 2', 'address line 2'],
    postalCode: ['code postal', 'cp', 'postal code', 'zip', 'zip code', 'postcode'],
    city: ['ville', 'localite', 'commune', 'city', 'town'],
    parentRef: ['groupe', 'code groupe', 'societe mere', 'maison mere', 'parent', 'parent code', 'group', 'parent ref'],
    segment: ['segment', 'categorie', 'categorie client', 'category', 'segment client'],
    activityCode: ['naf', 'code naf', 'code ape', 'ape', 'nace', 'activity code'],
    paymentTermsDays: ['delai de paiement', 'delai paiement', 'conditions de paiement', 'echeance jours', 'payment terms', 'terms', 'payment terms days'],
    currency: ['devise', 'monnaie', 'currency'],
    collectorEmail: ['charge de recouvrement', 'recouvreur', 'collector', 'collector email'],
  },
  invoices: {
    number: ['n facture', 'numero facture', 'numero de facture', 'no facture', 'num facture', 'facture', 'n piece', 'numero piece', 'piece', 'invoice no', 'invoice number', 'invoice', 'invoice n', 'document number', 'number'],
    customerRef: ['code client', 'n client', 'numero client', 'compte client', 'client', 'code tiers', 'tiers', 'customer code', 'customer id', 'customer', 'customer ref', 'account'],
    kind: ['type', 'type de piece', 'nature', 'sens', 'document type', 'kind'],
    issueDate: ['date facture', 'date de facture', 'date d emission', 'date emission', 'date piece', 'date', 'invoice date', 'issue date', 'document date'],
    dueDate: ['date d echeance', 'date echeance', 'echeance', 'date limite de paiement', 'due date', 'due', 'payment due date'],
    currency: ['devise', 'monnaie', 'currency'],
    totalExclTax: ['montant ht', 'total ht', 'ht', 'montant hors taxes', 'net', 'net amount', 'amount excl tax', 'total excl tax', 'amount excluding tax', 'subtotal'],
    totalInclTax: ['montant ttc', 'total ttc', 'ttc', 'montant', 'montant toutes taxes', 'gross', 'gross amount', 'amount incl tax', 'total incl tax', 'amount including tax', 'total', 'amount'],
    isDisputed: ['litige', 'en litige', 'disputed', 'dispute'],
    orderNumber: ['n commande', 'numero commande', 'commande', 'bon de commande', 'order', 'order no', 'order number', 'po number'],
  },
  payments: {
    reference: ['reference', 'ref', 'reference paiement', 'n reglement', 'numero reglement', 'reglement', 'payment reference', 'payment id', 'reference'],
    customerRef: ['code client', 'n client', 'compte client', 'client', 'customer code', 'customer', 'customer ref'],
    receivedDate: ['date', 'date reglement', 'date de reglement', 'date paiement', 'date de valeur', 'date encaissement', 'payment date', 'received date', 'value date'],
    currency: ['devise', 'monnaie', 'currency'],
    amount: ['montant', 'montant regle', 'montant encaisse', 'amount', 'paid amount'],
    method: ['mode de reglement', 'mode', 'moyen de paiement', 'method', 'payment method'],
    invoiceNumber: ['n facture', 'numero facture', 'facture', 'factures', 'invoice no', 'invoice number', 'invoice', 'invoices'],
  },
  orders: {
    number: ['n commande', 'numero commande', 'numero de commande', 'commande', 'order no', 'order number', 'order', 'number'],
    customerRef: ['code client', 'n client', 'compte client', 'client', 'customer code', 'customer', 'customer ref'],
    orderDate: ['date commande', 'date de commande', 'date', 'order date'],
    expectedInvoiceDate: ['date de facturation prevue', 'facturation prevue', 'expected invoice date', 'invoice date'],
    currency: ['devise', 'monnaie', 'currency'],
    amountInclTax: ['montant ttc', 'total ttc', 'montant', 'amount incl tax', 'amount', 'total'],
    status: ['statut', 'etat', 'status'],
  },
  ratings: {
    ...COMPANY_KEY,
    provider: ['fournisseur', 'source', 'bureau', 'agence', 'assureur', 'assureur credit', 'organisme', 'provider', 'insurer', 'rating agency', 'bureau name'],
    value: [
      'score', 'note', 'notation', 'grade', 'rating', 'indice', 'cotation', 'score de defaillance', 'note de risque', 'risk score', 'credit score', 'credit rating',
      'score creditsafe', 'creditsafe score', 'note creditsafe', 'score altares', 'indice altares', 'note altares', 'score ellisphere',
      'grade allianz trade', 'allianz trade grade', 'note allianz trade', 'grade euler hermes', 'dra', 'dra coface', 'coface dra', 'note coface', 'paydex', 'score paydex', 'paydex score', 'international score', 'score international',
    ],
    ratedOn: ['date', 'date du score', 'date score', 'date de notation', 'date notation', 'date d evaluation', 'date de mise a jour', 'mise a jour', 'rated on', 'rating date', 'score date', 'date of rating', 'last updated', 'updated on'],
    recommendedLimit: ['limite recommandee', 'limite de credit recommandee', 'encours recommande', 'encours conseille', 'limite conseillee', 'limite de credit', 'credit limit', 'recommended limit', 'recommended credit limit'],
    coverAmount: ['garantie', 'montant garanti', 'montant de garantie', 'agrement', 'montant agrement', 'montant de l agrement', 'couverture', 'encours garanti', 'cover', 'cover amount', 'insured amount', 'credit limit decision'],
    coverPercent: ['quotite', 'quotite garantie', 'taux de couverture', 'pourcentage garanti', 'cover percent', 'cover percentage', 'indemnity percent', 'indemnification rate'],
    coverValidUntil: ['fin de validite', 'date de fin', 'date fin', 'valable jusqu au', 'fin agrement', 'fin de garantie', 'valid until', 'expiry date', 'end date'],
  },
  financials: {
    ...COMPANY_KEY,
    fiscalYearEnd: ['date de cloture', 'cloture', 'date cloture', 'date de cloture de l exercice', 'fin d exercice', 'fin exercice', 'exercice', 'fiscal year end', 'year end', 'period end', 'closing date'],
    currency: ['devise', 'monnaie', 'currency'],
    source: ['source', 'origine', 'provenance'],
    totalAssets: ['total actif', 'total bilan', 'total du bilan', 'total de l actif', 'total assets', 'balance sheet total'],
    currentAssets: ['actif circulant', 'total actif circulant', 'current assets'],
    currentLiabilities: ['dettes a court terme', 'dettes a moins d un an', 'passif circulant', 'current liabilities'],
    totalLiabilities: ['total dettes', 'dettes', 'total des dettes', 'total liabilities'],
    equity: ['capitaux propres', 'total capitaux propres', 'fonds propres', 'equity', 'shareholders equity', 'total equity'],
    inventories: ['stocks', 'stocks et en cours', 'inventories', 'inventory'],
    cash: ['disponibilites', 'tresorerie', 'cash', 'cash and equivalents'],
    longTermDebt: ['dettes a long terme', 'dettes a plus d un an', 'long term debt'],
    financialDebt: ['dettes financieres', 'emprunts et dettes financieres', 'endettement financier', 'financial debt', 'borrowings'],
    retainedEarnings: ['reserves', 'reserves et report a nouveau', 'report a nouveau', 'retained earnings'],
    operatingIncome: ['resultat d exploitation', 'resultat exploitation', 'operating income', 'ebit'],
    ebitda: ['ebe', 'excedent brut d exploitation', 'ebitda'],
    revenue: ['chiffre d affaires', 'chiffre d affaires net', 'ca', 'revenue', 'turnover', 'sales'],
    interestExpense: ['charges financieres', 'charges d interets', 'interets et charges assimilees', 'interest expense'],
    staffCosts: ['charges de personnel', 'frais de personnel', 'staff costs', 'personnel expenses'],
    valueAdded: ['valeur ajoutee', 'value added'],
    tradePayables: ['dettes fournisseurs', 'fournisseurs', 'dettes fournisseurs et comptes rattaches', 'trade payables', 'accounts payable'],
    purchases: ['achats', 'achats consommes', 'achats et charges externes', 'purchases'],
  },
};

/** Entities whose rows name their company by customer code or by SIREN: one of the two columns is needed. */
const KEYED_BY_COMPANY: Entity[] = ['ratings', 'financials'];

const REQUIRED: Record<Entity, string[]> = {
  customers: ['externalRef', 'legalName'],
  invoices: ['number', 'customerRef', 'issueDate', 'dueDate', 'totalInclTax'],
  payments: ['reference', 'receivedDate', 'amount'],
  orders: ['number', 'customerRef', 'orderDate', 'amountInclTax'],
  ratings: ['value', 'ratedOn'],
  financials: ['fiscalYearEnd', 'totalAssets', 'currentAssets', 'currentLiabilities', 'totalLiabilities', 'equity'],
};

/** The fields a sheet of `entity` may map, required ones marked (for a mapping editor). */
export function entityFields(entity: Entity): { name: string; required: boolean }[] {
  return Object.keys(SYNONYMS[entity]).map((name) => ({ name, required: REQUIRED[entity].includes(name) }));
}

/** "N° Facture", "n°_facture" and "No. facture" all become "n facture". */
export function normalizeHeader(header: string): string {
  return toAscii(header)
    .toLowerCase()
    .replace(/°|º/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/\bno\b(?= [a-z])/g, 'n')
    .trim();
}

export type ColumnMapping = Record<string, number>;

/** Maps headers to fields (first matching column wins); an explicit mapping profile overrides. */
export function mapColumns(options: { entity: Entity; headers: string[]; profile?: Record<string, string> }): { mapping: ColumnMapping; missing: string[]; unmapped: string[] } {
  const normalized = options.headers.map(normalizeHeader);
  const mapping: ColumnMapping = {};
  const used = new Set<number>();
  if (options.profile) {
    for (const [field, header] of Object.entries(options.profile)) {
      const index = normalized.indexOf(normalizeHeader(header));
      if (index >= 0) {
        mapping[field] = index;
        used.add(index);
      }
    }
  }
  for (const [field, synonyms] of Object.entries(SYNONYMS[options.entity])) {
    if (field in mapping) continue;
    for (const synonym of synonyms) {
      const index = normalized.findIndex((h, i) => h === synonym && !used.has(i));
      if (index >= 0) {
        mapping[field] = index;
        used.add(index);
        break;
      }
    }
  }
  const missing = REQUIRED[options.entity].filter((f) => !(f in mapping));
  if (KEYED_BY_COMPANY.includes(options.entity) && !('customerRef' in mapping) && !('siren' in mapping)) missing.unshift('customerRef or siren');
  return {
    mapping,
    missing,
    unmapped: options.headers.filter((_, i) => !used.has(i)),
  };
}

/** The entity a sheet holds, guessed from its headers: the one whose required fields all map, most fields first. */
export function guessEntity(headers: string[]): Entity | null {
  const scores = ENTITIES.map((entity) => {
    const { mapping, missing } = mapColumns({ entity, headers });
    return { entity, score: missing.length === 0 ? Object.keys(mapping).length : -1 };
  });
  const best = scores.sort((a, b) => b.score - a.score)[0];
  return best.score > 0 ? best.entity : null;
}
