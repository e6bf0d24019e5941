/**
 * Spreadsheet headers mapped to ledger fields, in French and English, as ERPs and accountants
 * write them ("N° facture", "Date d'échéance", "Montant TTC", "Raison sociale", "Invoice No"…).
 */
import { toAscii } from '../../domain/matching/normalize';

export type Entity = 'customers' | 'invoices' | 'payments' | 'orders';

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
};

const REQUIRED: Record<Entity, string[]> = {
  customers: ['externalRef', 'legalName'],
  invoices: ['number', 'customerRef', 'issueDate', 'dueDate', 'totalInclTax'],
  payments: ['reference', 'receivedDate', 'amount'],
  orders: ['number', 'customerRef', 'orderDate', 'amountInclTax'],
};

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
  return {
    mapping,
    missing: REQUIRED[options.entity].filter((f) => !(f in mapping)),
    unmapped: options.headers.filter((_, i) => !used.has(i)),
  };
}

/** The entity a sheet holds, guessed from its headers: the one whose required fields all map, most fields first. */
export function guessEntity(headers: string[]): Entity | null {
  const scores = (Object.keys(SYNONYMS) as Entity[]).map((entity) => {
    const { mapping, missing } = mapColumns({ entity, headers });
    return { entity, score: missing.length === 0 ? Object.keys(mapping).length : -1 };
  });
  const best = scores.sort((a, b) => b.score - a.score)[0];
  return best.score > 0 ? best.entity : null;
}
