import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config';

const dataDir = mkdtempSync(join(tmpdir(), 'encours-survival-'));
const PASSWORD = 'survival test password';
let server: ChildProcess;
let url: string;
let output = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [join(PROJECT_ROOT, 'bin/encours.js'), 'serve', '--port', String(port)], {
    env: { ...process.env, DATABASE_URL: '', ENCOURS_DATA_DIR: dataDir, ENCOURS_DEMO_CUSTOMERS: '0', ENCOURS_WORKER: 'off', ENCOURS_PROVIDERS: 'off', ENCOURS_ADMIN_EMAIL: `survival-${port}@test.encours`, ENCOURS_ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'warn' },
  });
  server.stdout?.on('data', (d) => (output += d));
  server.stderr?.on('data', (d) => (output += d));
  for (let i = 0; i < 600; i++) {
    if (server.exitCode !== null) throw new Error(`the server stopped: ${output}`);
    const up = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not start: ${output}`);
}, 90_000);

afterAll(() => {
  server?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a running server', () => {
  it('answers dates outside 1900–2199 with 400 on every analytic and keeps running', async () => {
    const port = new URL(url).port;
    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `survival-${port}@test.encours`, password: PASSWORD }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
    for (const path of ['kpis', 'aging', 'trends', 'top-overdue']) {
      for (const asOf of ['0001-01-01', '0099-12-31', '1899-12-31', '2200-01-01', '9999-12-31']) {
        const response = await fetch(`${url}/api/v1/analytics/${path}?asOf=${asOf}`, { headers: { cookie } });
        expect(response.status, `${path} ${asOf}`).toBe(400);
        const problem = await response.json();
        expect(problem.errors?.[0]).toMatchObject({ field: 'asOf', reason: 'must be a calendar date YYYY-MM-DD between 1900-01-01 and 2199-12-31' });
      }
    }
    const kpis = await fetch(`${url}/api/v1/analytics/kpis?asOf=1900-01-01`, { headers: { cookie } });
    expect(kpis.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(server.exitCode).toBeNull();
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    expect(output).not.toContain('unhandled');
  });
});

describe('the crash guard', () => {
  it('logs what escapes every handler and keeps the process alive', async () => {
    const script = [
      "import { installCrashGuard } from './src/infra/crash-guard.ts';",
      "installCrashGuard((message, error) => console.error(message, String(error)));",
      "Promise.reject(new Error('escaped rejection'));",
      "setTimeout(() => { throw new Error('escaped throw'); }, 10);",
      "setTimeout(() => { console.log('still alive'); }, 200);",
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: PROJECT_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toContain('unhandled promise rejection (the server keeps running) Error: escaped rejection');
    expect(stderr).toContain('uncaught exception (the server keeps running) Error: escaped throw');
    expect(stdout).toContain('still alive');
    expect(code).toBe(0);
  });
});
