export const fr = {
  app: { name: 'Encours', tagline: 'Gestion du risque client' },
  nav: { dashboard: 'Tableau de bord', customers: 'Clients', invoices: 'Factures', matching: 'Rapprochement', imports: 'Imports', logout: 'Déconnexion' },
  login: { title: 'Connexion', email: 'Adresse e-mail', password: 'Mot de passe', submit: 'Se connecter', failed: 'E-mail ou mot de passe incorrect.', tooMany: 'Trop de tentatives, réessayez dans une minute.' },
  common: { asOf: 'Au', loading: 'Chargement…', error: 'Une erreur est survenue', empty: 'Aucun élément', more: 'Afficher plus', days: '{{count}} j', daysValue: '{{value}} j', none: '—', search: 'Rechercher', all: 'Tous', yes: 'Oui', no: 'Non' },
  kpi: {
    outstanding: 'Encours total', overdue: 'Échu', overdueShare: '{{share}} % de l’encours', dso: 'DSO (épuisement)', dsoDetail: 'Simple {{simple}} · BPDSO {{bpdso}} · Retard {{add}}',
    cei: 'CEI (trimestre)', ceiDetail: 'Efficacité du recouvrement', daysToPay: 'Délai de paiement pondéré', daysLate: 'Retard moyen pondéré', averageDaysToPay: 'Délai moyen de paiement', beyond: 'au-delà de 12 mois',
  },
  dashboard: { title: 'Tableau de bord', aging: 'Balance âgée', dsoTrend: 'DSO sur 12 mois', balanceTrend: 'Encours et échu sur 12 mois', topOverdue: 'Clients les plus en retard', oldest: 'Retard max.', unconverted: 'Montants sans taux de change exclus : {{currencies}}' },
  aging: { not_due: 'Non échu', range: '{{from}}–{{to}} j', over: '> {{from}} j', credits: 'Non affecté', total: 'Total' },
  chart: { outstanding: 'Encours', overdue: 'Échu', dsoCountback: 'DSO épuisement', dsoSimple: 'DSO simple' },
  customers: { band: 'Classe de risque', risk: 'Risque', title: 'Clients', search: 'Nom, SIREN ou code client', segment: 'Segment', overdueOnly: 'En retard uniquement', name: 'Raison sociale', ref: 'Code', city: 'Ville', outstanding: 'Encours', overdue: 'Échu', openInvoices: 'Factures ouvertes', sort: 'Trier par' },
  customer: {
    risk: 'Score de risque', noScore: 'Pas encore de score', scoredOn: 'calculé au {{date}}', 
    identity: 'Identité', siren: 'SIREN', siret: 'SIRET', vat: 'N° TVA', lei: 'LEI', address: 'Adresse', segment: 'Segment', terms: 'Conditions de paiement', termsValue: '{{days}} jours',
    activity: 'Code NAF', tags: 'Étiquettes', group: 'Groupe', parent: 'Société mère', subsidiaries: 'Filiales', collector: 'Chargé de recouvrement', contacts: 'Contacts', noContacts: 'Aucun contact',
    openInvoices: 'Factures ouvertes', payments: 'Historique des paiements', aging: 'Balance âgée du client', kpis: 'Indicateurs', back: 'Retour aux clients',
  },
  invoices: {
    title: 'Factures', number: 'Numéro', customer: 'Client', issueDate: 'Émise le', dueDate: 'Échéance', total: 'Montant TTC', open: 'Reste dû', status: 'Statut', daysPastDue: 'Retard',
    kind: 'Type', invoice: 'Facture', credit_note: 'Avoir', statusOpen: 'Ouverte', statusPaid: 'Payée', statusCancelled: 'Annulée', statusOverdue: 'En retard', disputed: 'Litige', filterStatus: 'Statut', search: 'Numéro de facture',
  },
  payments: { reference: 'Référence', date: 'Reçu le', amount: 'Montant', unapplied: 'Non affecté', invoices: 'Factures réglées', method: 'Mode' },
  imports: {
    refused: 'Import refusé : rien n’a été enregistré', line: 'ligne', progress: '{{rows}} lignes traitées',
    dryRun: 'Simulation (ne rien enregistrer)', errorReport: 'Télécharger le rapport d’erreurs (CSV)', sheetDone: 'Import {{entity}} terminé', sheetPreview: 'Simulation {{entity}}',
    sheetRows: '{{rows}} lignes : {{inserted}} créées, {{updated}} modifiées, {{unchanged}} inchangées',
    entities: { customers: 'clients', invoices: 'factures', payments: 'règlements', orders: 'commandes' },
    title: 'Imports', help: 'Tableurs CSV et XLSX (clients, factures, règlements, commandes), factures électroniques (Factur-X PDF, CII, UBL) et relevés bancaires (camt.052/053/054, CFONB 120, MT940, OFX). Le format est détecté automatiquement.',
    file: 'Fichier', choose: 'Choisir un fichier…', upload: 'Importer', recent: 'Imports récents', date: 'Date', kind: 'Type', status: 'Statut',
    kinds: { einvoice: 'Facture électronique', statement: 'Relevé bancaire', spreadsheet: 'Tableur' },
    statuses: { running: 'En cours', succeeded: 'Réussi', failed: 'Refusé' },
    statementDone: 'Relevé {{format}} importé', lines: '{{total}} lignes, dont {{new}} nouvelles et {{already}} déjà importées',
    matching: 'Encaissements : {{applied}} lettrés automatiquement, {{proposed}} à valider, {{unmatched}} non rapprochés',
    balanceMismatch: 'Compte {{account}} : solde final incohérent (écart {{difference}})', invoiceDone: 'Facture {{number}} importée', customer: 'Client {{ref}}',
  },
  matching: {
    title: 'Rapprochement bancaire', empty: 'Rien à valider', date: 'Date', amount: 'Montant', payer: 'Donneur d’ordre', customer: 'Client', invoices: 'Factures', confidence: 'Confiance',
    apply: 'Lettrer', reject: 'Rejeter', undo: 'Annuler', statuses: { proposed: 'À valider', applied: 'Lettrés', rejected: 'Rejetés', undone: 'Annulés' },
  },
  sort: { legalName: 'Nom (A→Z)', '-legalName': 'Nom (Z→A)', '-outstanding': 'Encours décroissant', outstanding: 'Encours croissant', '-overdue': 'Échu décroissant', overdue: 'Échu croissant', dueDate: 'Échéance la plus ancienne', '-dueDate': 'Échéance la plus récente', '-totalInclTax': 'Montant décroissant', totalInclTax: 'Montant croissant', '-openAmount': 'Reste dû décroissant' },
};
export type Messages = typeof fr;
