import type { Messages } from './fr';

export const en: Messages = {
  app: { name: 'Encours', tagline: 'Customer credit risk' },
  nav: { dashboard: 'Dashboard', customers: 'Customers', invoices: 'Invoices', matching: 'Matching', alerts: 'Alerts', held: 'Orders on hold', imports: 'Imports', logout: 'Log out' },
  login: { title: 'Log in', email: 'E-mail address', password: 'Password', submit: 'Log in', failed: 'Wrong e-mail or password.', tooMany: 'Too many attempts, try again in a minute.' },
  common: { asOf: 'As of', loading: 'Loading…', error: 'Something went wrong', empty: 'Nothing here', more: 'Show more', days: '{{count}} d', daysValue: '{{value}} days', none: '—', search: 'Search', all: 'All', yes: 'Yes', no: 'No' },
  kpi: {
    outstanding: 'Total outstanding', overdue: 'Overdue', overdueShare: '{{share}} % of outstanding', dso: 'DSO (countback)', dsoDetail: 'Simple {{simple}} · BPDSO {{bpdso}} · ADD {{add}}',
    cei: 'CEI (quarter)', ceiDetail: 'Collection effectiveness', daysToPay: 'Weighted days to pay', daysLate: 'Weighted days late', averageDaysToPay: 'Average days to pay', beyond: 'beyond 12 months',
  },
  dashboard: { title: 'Dashboard', aging: 'Aged balance', dsoTrend: 'DSO over 12 months', balanceTrend: 'Outstanding and overdue over 12 months', topOverdue: 'Customers with the most overdue', oldest: 'Oldest', unconverted: 'Amounts without an exchange rate left out: {{currencies}}' },
  aging: { not_due: 'Not due', range: '{{from}}–{{to}} d', over: '> {{from}} d', credits: 'Unapplied', total: 'Total' },
  chart: { outstanding: 'Outstanding', overdue: 'Overdue', dsoCountback: 'Countback DSO', dsoSimple: 'Simple DSO' },
  customers: { band: 'Risk band', risk: 'Risk', title: 'Customers', search: 'Name, SIREN or customer code', segment: 'Segment', overdueOnly: 'Overdue only', name: 'Legal name', ref: 'Code', city: 'City', outstanding: 'Outstanding', overdue: 'Overdue', openInvoices: 'Open invoices', sort: 'Sort by' },
  customer: {
    credit: 'Credit', limit: 'Credit limit', noLimit: 'No limit', exposure: 'Exposure', openOrders: 'Orders not invoiced', used: '{{percent}} % of the limit used', sources: { insurer: 'insurer', provider: 'data provider', internal: 'internal decision' }, 
    risk: 'Risk score', noScore: 'No score yet', scoredOn: 'as of {{date}}', 
    identity: 'Identity', siren: 'SIREN', siret: 'SIRET', vat: 'VAT number', lei: 'LEI', address: 'Address', segment: 'Segment', terms: 'Payment terms', termsValue: '{{days}} days',
    activity: 'Activity code', tags: 'Tags', group: 'Group', parent: 'Parent company', subsidiaries: 'Subsidiaries', collector: 'Collector', contacts: 'Contacts', noContacts: 'No contacts',
    openInvoices: 'Open invoices', payments: 'Payment history', aging: 'Customer aged balance', kpis: 'Indicators', back: 'Back to customers',
  },
  invoices: {
    title: 'Invoices', number: 'Number', customer: 'Customer', issueDate: 'Issued', dueDate: 'Due', total: 'Total incl. tax', open: 'Open', status: 'Status', daysPastDue: 'Days late',
    kind: 'Type', invoice: 'Invoice', credit_note: 'Credit note', statusOpen: 'Open', statusPaid: 'Paid', statusCancelled: 'Cancelled', statusOverdue: 'Overdue', disputed: 'Disputed', filterStatus: 'Status', search: 'Invoice number',
  },
  payments: { reference: 'Reference', date: 'Received', amount: 'Amount', unapplied: 'Unapplied', invoices: 'Invoices paid', method: 'Method' },
  imports: {
    refused: 'Import refused: nothing was written', line: 'line', progress: '{{rows}} rows processed',
    dryRun: 'Dry run (write nothing)', errorReport: 'Download the error report (CSV)', sheetDone: '{{entity}} imported', sheetPreview: '{{entity}} dry run',
    sheetRows: '{{rows}} rows: {{inserted}} created, {{updated}} updated, {{unchanged}} unchanged',
    entities: { customers: 'customers', invoices: 'invoices', payments: 'payments', orders: 'orders' },
    title: 'Imports', help: 'CSV and XLSX spreadsheets (customers, invoices, payments, orders), e-invoices (Factur-X PDF, CII, UBL) and bank statements (camt.052/053/054, CFONB 120, MT940, OFX). The format is detected automatically.',
    file: 'File', choose: 'Choose a file…', upload: 'Import', recent: 'Recent imports', date: 'Date', kind: 'Type', status: 'Status',
    kinds: { einvoice: 'E-invoice', statement: 'Bank statement', spreadsheet: 'Spreadsheet' },
    statuses: { running: 'Running', succeeded: 'Succeeded', failed: 'Refused' },
    statementDone: '{{format}} statement imported', lines: '{{total}} lines: {{new}} new, {{already}} already imported',
    matching: 'Credits: {{applied}} matched automatically, {{proposed}} to review, {{unmatched}} unmatched',
    balanceMismatch: 'Account {{account}}: closing balance does not add up (difference {{difference}})', invoiceDone: 'Invoice {{number}} imported', customer: 'Customer {{ref}}',
  },
  matching: {
    title: 'Payment matching', empty: 'Nothing to review', date: 'Date', amount: 'Amount', payer: 'Payer', customer: 'Customer', invoices: 'Invoices', confidence: 'Confidence',
    apply: 'Apply', reject: 'Reject', undo: 'Undo', statuses: { proposed: 'To review', applied: 'Applied', rejected: 'Rejected', undone: 'Undone' },
  },
  held: { title: 'Orders on hold', empty: 'No order on hold', date: 'Date', customer: 'Customer', order: 'Order', amount: 'Amount', why: 'Held because', reason: 'Reason for the decision', release: 'Release', cancel: 'Cancel', defaultReason: 'credit manager decision' },
  alerts: { title: 'Alerts', empty: 'No alert', acknowledge: 'Acknowledge', statuses: { open: 'Open', acknowledged: 'Acknowledged' }, severities: { info: 'Info', warning: 'Warning', critical: 'Critical' } },
  sort: { legalName: 'Name (A→Z)', '-legalName': 'Name (Z→A)', '-outstanding': 'Outstanding, highest first', outstanding: 'Outstanding, lowest first', '-overdue': 'Overdue, highest first', overdue: 'Overdue, lowest first', dueDate: 'Oldest due date', '-dueDate': 'Latest due date', '-totalInclTax': 'Amount, highest first', totalInclTax: 'Amount, lowest first', '-openAmount': 'Open amount, highest first' },
};
