import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditorReference } from '../../src/domain/identifiers';
import type { Db } from '../../src/infra/db/db';
import { createTestApp, createTestOrg, json, type TestOrg } from '../support/test-app';
import { openTestDb } from '../support/test-db';
import { orgRowCounts } from '../support/org-rows';

let db: Db;
let app: Awaited<ReturnType<typeof createTestApp>>;
let org: TestOrg;

/** A camt.053.001.02 statement as a bank sends it, with the given credit entries. */
function camt053(entries: { amount: string; name?: string; iban?: string; ustrd?: string; ref?: string; e2e?: string }[], opening = '1000.00') {
  const total = entries.reduce((s, e) => s + Math.round(Number(e.amount) * 100), 0);
  const closing = ((Math.round(Number(opening) * 100) + total) / 100).toFixed(2);
  const ntry = entries
    .map(
      (e, i) => `<Ntry><Amt Ccy="EUR">${e.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-03-2${i % 9}</Dt></BookgDt><ValDt><Dt>2026-03-2${i % 9}</Dt></ValDt>
        <AcctSvcrRef>REF-${i}</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls><Refs><EndToEndId>${e.e2e ?? 'NOTPROVIDED'}</EndToEndId></Refs>
        <RltdPties><Dbtr><Nm>${e.name ?? ''}</Nm></Dbtr>${e.iban ? `<DbtrAcct><Id><IBAN>${e.iban}</IBAN></Id></DbtrAcct>` : ''}</RltdPties>
        <RmtInf>${e.ustrd ? `<Ustrd>${e.ustrd}</Ustrd>` : ''}${e.ref ? `<Strd><CdtrRefInf><Ref>${e.ref}</Ref></CdtrRefInf></Strd>` : ''}</RmtInf></TxDtls></NtryDtls></Ntry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>MSG1</MsgId><CreDtTm>2026-03-30T08:00:00</CreDtTm></GrpHdr>
<Stmt><Id>STMT-1</Id><CreDtTm>2026-03-30T08:00:00</CreDtTm><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${opening}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-20</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${closing}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-29</Dt></Dt></Bal>
${ntry}
</Stmt></BkToCstmrStmt></Document>`;
}

function upload(xml: string, name = 'releve.xml', query = '') {
  const form = new FormData();
  form.append('file', new Blob([xml]), name);
  return app.inject({ method: 'POST', url: `/api/v1/imports/statements${query}`, payload: form as never, headers: org.as.collector });
}
const get = async (url: string) => json(await app.inject({ method: 'GET', url, headers: org.as.viewer }));
const invoice = async (number: string) => (await get(`/api/v1/invoices?search=${number}`)).items.find((i: { number: string }) => i.number === number);

beforeAll(async () => {
  db = await openTestDb();
  app = await createTestApp(db);
  org = await createTestOrg(db);
  const post = (url: string, items: object[]) => app.inject({ method: 'POST', url, payload: { items }, headers: org.as.admin });
  await post('/api/v1/bulk/customers', [
    { externalRef: 'C1', legalName: 'Boulangerie Dupont SARL', country: 'FR' },
    { externalRef: 'C2', legalName: 'Transports Martin SAS', country: 'FR' },
    { externalRef: 'C3', legalName: 'Électricité Générale Lefèvre', country: 'FR' },
  ]);
  const inv = (number: string, customerRef: string, total: string, dueDate: string) => ({ number, customerRef, issueDate: '2026-01-10', dueDate, currency: 'EUR', totalExclTax: total, totalInclTax: total });
  await post('/api/v1/bulk/invoices', [
    inv('FA-2026-000101', 'C1', '1200.00', '2026-02-10'),
    inv('FA-2026-000102', 'C1', '300.00', '2026-03-10'),
    inv('FA-2026-000103', 'C2', '999.00', '2026-02-15'),
    inv('FA-2026-000104', 'C2', '450.50', '2026-03-15'),
    inv('FA-2026-000105', 'C3', '100.00', '2026-02-20'),
  ]);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

describe('importing a bank statement and matching its credits', () => {
  const statement = camt053([
    { amount: '300.00', name: 'DUPONT', ref: creditorReference('FA2026000102') },
    { amount: '998.50', name: 'TRANSPORTS MARTIN', iban: 'FR1420041010050500013M02606', ustrd: 'Paiement facture FA 2026 000103' },
    { amount: '450.50', name: 'TRANSPORTS MARTIN SAS', iban: 'FR1420041010050500013M02606', ustrd: 'virement' },
    { amount: '40.00', name: 'ELECTRICITE GENERALE LEFEVRE', ustrd: 'acompte' },
    { amount: '77.00', name: 'Inconnu', ustrd: 'cadeau' },
  ]);

  it('a dry run stores nothing, not even the import, and shows the lines and the matches it would apply', async () => {
    const before = await orgRowCounts(db, org.id);
    const response = await upload(statement, 'releve.xml', '?dryRun=true');
    expect(response.statusCode, response.body).toBe(200);
    const body = json(response);
    expect(body).toMatchObject({ importId: null, isDryRun: true });
    expect(body.report).toMatchObject({ isDryRun: true, lines: { total: 5, new: 5 }, matching: { applied: 2, proposed: 2, unmatched: 1 } });
    expect(body.report.preview.lines).toHaveLength(5);
    expect(body.report.preview.matches.filter((m: { status: string }) => m.status === 'applied')).toEqual([
      expect.objectContaining({ amount: '300.00', customer: expect.objectContaining({ name: 'Boulangerie Dupont SARL' }), allocations: [{ invoiceNumber: 'FA-2026-000102', amount: '300.00' }] }),
      expect.objectContaining({ amount: '998.50', allocations: [{ invoiceNumber: 'FA-2026-000103', amount: '998.50' }] }),
    ]);
    expect(await orgRowCounts(db, org.id)).toEqual(before);
    expect(await invoice('FA-2026-000102')).toMatchObject({ openAmount: '300.00', status: 'open' });
  });

  it('applies confident matches, queues the others and reports', async () => {
    const response = await upload(statement);
    expect(response.statusCode, response.body).toBe(201);
    const { report } = json(response);
    expect(report).toMatchObject({
      format: 'camt.053',
      statements: [{ account: 'FR7630006000011234567890189', lines: 5, isNew: true, balanceCheck: { isConsistent: true } }],
      lines: { total: 5, new: 5, alreadyImported: 0, credits: 5, debits: 0 },
      matching: { applied: 2, proposed: 2, unmatched: 1 },
    });
    // RF reference → invoice 102 paid; invoice number in text with a 0.50 fee → 103 paid.
    expect(await invoice('FA-2026-000102')).toMatchObject({ openAmount: '0.00', status: 'paid' });
    expect((await invoice('FA-2026-000103')).openAmount).toBe('0.50');
  });

  it('importing the same statement twice creates nothing twice', async () => {
    const { report } = json(await upload(statement, 'releve-bis.xml'));
    expect(report.lines).toMatchObject({ total: 5, new: 0, alreadyImported: 5 });
    expect(report.matching).toEqual({ applied: 0, proposed: 0, unmatched: 0 });
    expect((await get('/api/v1/payments?limit=100')).items.filter((p: { reference: string }) => p.reference.startsWith('BANK-'))).toHaveLength(2);
  });

  it('shows the review queue with confidence and reasons; applying and rejecting decide', async () => {
    const queue = (await get('/api/v1/payment-matches?status=proposed')).items;
    expect(queue).toHaveLength(2);
    const byAmount = Object.fromEntries(queue.map((m: { line: { amount: string } }) => [m.line.amount, m]));
    // The IBAN learnt from the first Martin transfer is not used before it is applied: the name is.
    expect(byAmount['450.50']).toMatchObject({ method: 'customer_amount', customer: { name: 'Transports Martin SAS' }, allocations: [{ invoiceNumber: 'FA-2026-000104', amount: '450.50' }] });
    expect(byAmount['40.00']).toMatchObject({ method: 'customer_partial', confidence: 0.5 });
    expect(byAmount['40.00'].reasons.join(' ')).toContain('resembles Électricité Générale Lefèvre');

    const post = (url: string) => app.inject({ method: 'POST', url, headers: org.as.collector });
    expect(json(await post(`/api/v1/payment-matches/${byAmount['450.50'].id}/apply`))).toMatchObject({ status: 'applied' });
    expect((await invoice('FA-2026-000104')).openAmount).toBe('0.00');
    expect(json(await post(`/api/v1/payment-matches/${byAmount['40.00'].id}/reject`))).toMatchObject({ status: 'rejected' });
    expect((await post(`/api/v1/payment-matches/${byAmount['40.00'].id}/apply`)).statusCode).toBe(409);
    expect((await get('/api/v1/bank-lines')).items.map((l: { amount: string }) => l.amount).sort()).toEqual(['40.00', '77.00']);
  });

  it('undoes an applied match: the payment goes and the invoice reopens', async () => {
    const applied = (await get('/api/v1/payment-matches?status=applied')).items.find((m: { allocations: { invoiceNumber: string }[] }) => m.allocations[0]?.invoiceNumber === 'FA-2026-000102');
    const response = await app.inject({ method: 'POST', url: `/api/v1/payment-matches/${applied.id}/undo`, headers: org.as.credit_manager });
    expect(json(response)).toMatchObject({ status: 'undone' });
    expect(await invoice('FA-2026-000102')).toMatchObject({ openAmount: '300.00', status: 'open' });
  });

  it('rejects a file that is not a statement, precisely, storing nothing', async () => {
    const response = await upload('<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><Other/></Document>', 'x.xml');
    expect(response.statusCode).toBe(400);
    expect(json(response).errors[0]).toEqual({ field: '/Document', reason: 'not a camt.052, camt.053 or camt.054 message' });
  });

  it('is refused to viewers and sales', async () => {
    const form = new FormData();
    form.append('file', new Blob([statement]), 'r.xml');
    expect((await app.inject({ method: 'POST', url: '/api/v1/imports/statements', payload: form as never, headers: org.as.viewer })).statusCode).toBe(403);
  });
});
