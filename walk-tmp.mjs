import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { chromium } from 'playwright-core';
const dir = mkdtempSync('/tmp/walkdata-');
const port = 3921, base = `http://127.0.0.1:${port}`, pw = 'walk the screens please';
const server = spawn(process.execPath, ['bin/encours.js', 'serve', '--port', String(port)], { env: { ...process.env, DATABASE_URL: '', ENCOURS_DATA_DIR: dir, ENCOURS_WORKER: 'off', ENCOURS_DEMO_CUSTOMERS: '40', ENCOURS_DEMO_MONTHS: '12', ENCOURS_PROVIDERS: 'off', ENCOURS_ADMIN_PASSWORD: pw, LOG_LEVEL: 'warn' }, stdio: 'inherit' });
try {
  for (let i = 0; i < 600; i++) { if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) break; await new Promise((r) => setTimeout(r, 200)); }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
  for (const [w, h] of [[1440, 900], [390, 844]]) for (const lang of ['fr', 'en']) {
    const page = await browser.newPage({ viewport: { width: w, height: h } });
    await page.goto(`${base}/login`);
    await page.evaluate((l) => localStorage.setItem('encours.locale', l), lang);
    await page.reload();
    await page.getByTestId('login-email').fill('admin@encours.local');
    await page.getByTestId('login-password').fill(pw);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${base}/`);
    const customers = await page.evaluate(async () => (await (await fetch('/api/v1/customers?limit=1&sort=-overdue')).json()).items[0].id);
    for (const [name, path] of [['dashboard', '/'], ['customers', '/customers'], ['customer', `/customers/${customers}`], ['imports', '/imports'], ['settings', '/settings'], ['users', '/users'], ['account', '/account'], ['held', '/held-orders']]) {
      await page.goto(`${base}${path}`);
      await page.waitForTimeout(2500);
      await page.screenshot({ path: `/tmp/shots/${name}-${lang}-${w}.png`, fullPage: true });
    }
    await page.close();
  }
  await browser.close();
} finally { server.kill('SIGTERM'); }
