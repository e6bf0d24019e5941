import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../../src/config';
import { startServer } from '../../src/server';
import { startProviderServer } from '../support/provider-server';

const dataDir = mkdtempSync(join(tmpdir(), 'encours-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs the real `encours` binary with the embedded database in `dataDir`. */
function encours(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin/encours.js'), ...args], {
      env: { ...process.env, DATABASE_URL: '', ENCOURS_DATA_DIR: dataDir, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the encours command on the embedded database', () => {
  it('works through a running server, then alone once the server has stopped', async () => {
    const config = { ...loadConfig({}), dataDir, port: 0, demoCustomers: 0, worker: false, adminPassword: 'cli test password', logLevel: 'warn' };
    const server = await startServer({ ...config, port: 0 }, () => {});
    try {
      const address = server.app.server.address();
      expect(typeof address === 'object' && address?.port).toBeTruthy();
      expect(statSync(join(dataDir, 'cli-token')).mode & 0o777).toBe(0o600);

      // The server holds the directory: a second server must refuse to start.
      const second = await encours(['serve', '--port', '0']);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`in use by process ${process.pid}`);

      const demo = await encours(['demo', '--customers', '12', '--months', '6', '--seed', '5', '--as-of', '2026-03-31']);
      expect(demo.stderr + demo.stdout).toContain('Loaded 12 customers');
      const aging = await encours(['report', 'aging', '--json', '--as-of', '2026-03-31']);
      expect(aging.code, aging.stderr).toBe(0);
      const report = JSON.parse(aging.stdout);
      expect(report.buckets).toHaveLength(5);
      expect(Number(report.total)).toBeGreaterThan(0);

      // A dry run through the running server stores nothing: the real import below still finds 8 new lines.
      const statementFile = join(PROJECT_ROOT, '../shared/data/bank-statements/mt940/oca/test-ing.940');
      const dryStatement = await encours(['import', statementFile, '--dry-run']);
      expect(dryStatement.code, dryStatement.stderr).toBe(0);
      expect(dryStatement.stdout).toContain('(dry run: nothing stored) mt940: 8 line(s), 8 new, 0 already imported');

      const badUser = await encours(['user', 'add', '--email', 'x@test.encours', '--name', 'X', '--password', 'short']);
      expect(badUser.code).toBe(1);
      expect(badUser.stderr).toContain('password: must have at least 10 characters');
    } finally {
      await server.close();
    }
    // Port 0 lock info is irrelevant once stopped: the CLI now opens the database itself.
    const dso = await encours(['report', 'dso', '--json', '--as-of', '2026-03-31']);
    expect(dso.code, dso.stderr).toBe(0);
    expect(JSON.parse(dso.stdout).dso.countback).toBeGreaterThan(0);
    const sample = join(PROJECT_ROOT, '../shared/data/einvoices/facturx-zugferd-pdf/zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Avoir_FR_type381_BASIC.pdf');
    const parsed = await encours(['parse', sample, '--json']);
    expect(parsed.code, parsed.stderr).toBe(0);
    expect(JSON.parse(parsed.stdout)).toMatchObject({ kind: 'credit_note', number: 'AV-2017-0005', currency: 'EUR', totals: { net: '218.48', tax: '14.99', gross: '233.47', due: '233.47' } });
    const notInvoice = await encours(['parse', join(PROJECT_ROOT, 'package.json')]);
    expect(notInvoice.code).toBe(1);
    expect(notInvoice.stderr).toContain('not a recognised format');
    // Alone, a dry run shows what would be stored and stores nothing.
    const dryInvoice = await encours(['import', sample, '--dry-run']);
    expect(dryInvoice.code, dryInvoice.stderr).toBe(0);
    expect(dryInvoice.stdout).toContain('(dry run: nothing stored)');
    expect(dryInvoice.stdout).toMatch(/credit_note AV-2017-0005 would be created; customer .* \(would be new\)/);
    const imported = await encours(['import', sample]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/credit_note AV-2017-0005 created; customer .* \(new\)/);
    expect((await encours(['import', sample])).stdout).toContain('unchanged (already imported)');

    const statement = join(PROJECT_ROOT, '../shared/data/bank-statements/mt940/oca/test-ing.940');
    const statementImport = await encours(['import', statement]);
    expect(statementImport.code, statementImport.stderr).toBe(0);
    expect(statementImport.stdout).toContain('mt940: 8 line(s), 8 new, 0 already imported');
    expect((await encours(['import', statement])).stdout).toContain('8 line(s), 0 new, 8 already imported');
    const parsedStatement = JSON.parse((await encours(['parse', statement, '--json'])).stdout);
    expect(parsedStatement).toMatchObject({ type: 'statement', format: 'mt940', statements: [{ openingBalance: '662.23', closingBalance: '564.35', currency: 'EUR' }] });

    const csvFile = join(dataDir, 'factures.csv');
    writeFileSync(csvFile, 'N° facture;Code client;Date facture;Date d\'échéance;Montant TTC\nCLI-1;CLI000001;01/03/2026;31/03/2026;1 234,56\n', 'latin1');
    const sheet = await encours(['import', csvFile]);
    expect(sheet.code, sheet.stderr).toBe(0);
    expect(sheet.stdout).toContain('invoices: 1 row(s) — 1 new, 0 updated, 0 unchanged');
    expect(sheet.stderr).toContain('100 % 1/1 rows');
    writeFileSync(csvFile, 'N° facture;Code client;Date facture;Date d\'échéance;Montant TTC\nCLI-2;NOBODY;01/03/2026;31/03/2026;10\n', 'latin1');
    const refused = await encours(['import', csvFile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('line 2, Code client: unknown customer [NOBODY]');

    const exported = await encours(['export', 'customers', '--format', 'csv']);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = exported.stdout.trim().split('\r\n');
    expect(lines[0]).toContain('externalRef');
    expect(lines).toHaveLength(14); // header + 12 demo customers + the credit note's buyer

    const providers = await startProviderServer();
    try {
      const env = { ENCOURS_RECHERCHE_ENTREPRISES_URL: providers.url, ENCOURS_BODACC_URL: providers.url };
      const lookup = await encours(['company', 'lookup', '880 878 145', '--json'], env);
      expect(lookup.code, lookup.stderr).toBe(0);
      expect(JSON.parse(lookup.stdout)).toMatchObject({ siren: '880878145', profile: { name: 'GANYMEDE', state: 'ceased' }, legalStatus: { isClosed: true } });
      const text = await encours(['company', 'lookup', '880878145'], env);
      expect(text.stdout).toContain('GANYMEDE — SIREN 880878145 (CEASED on 2022-10-22)');
      expect(text.stdout).toContain('Legal status: closed on 2022-11-23');
      // A register that cannot be reached: a non-zero exit naming it, never "no procedure".
      providers.failNext('/catalog', 4, 500);
      const down = await encours(['company', 'lookup', '880878145'], env);
      expect(down.code).toBe(1);
      expect(down.stderr).toContain('error: bodacc could not be reached');
      expect(down.stdout).not.toContain('Legal status');
      const invalid = await encours(['company', 'lookup', '880878146'], env);
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toContain('siren: ');
    } finally {
      await providers.close();
    }
  }, 180_000);
});
