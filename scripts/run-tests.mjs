#!/usr/bin/env node
// Runs the whole Vitest suite and closes with the plain line "N passed, N failed" that CI reads.
// Builds the web app first when it is missing (the browser test serves it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const args = process.argv.slice(2);
if (!existsSync('dist/web/index.html')) {
  const build = spawnSync('npx', ['vite', 'build', '--config', 'src/web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (build.status !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
mkdirSync('tmp', { recursive: true });
const report = 'tmp/vitest-report.json';
rmSync(report, { force: true });
const run = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args], { stdio: 'inherit' });
let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed = result.numPassedTests;
  failed = result.numFailedTests + (result.numRuntimeErrorTests ?? 0);
  // A test file that fails to load has no tests: count it as a failure, never as nothing.
  failed += result.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  const skipped = result.numPendingTests + result.numTodoTests;
  if (skipped > 0) {
    console.log(`${skipped} skipped test(s): skipped tests are not allowed`);
    failed += skipped;
  }
} else {
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
