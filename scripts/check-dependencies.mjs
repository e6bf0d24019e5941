#!/usr/bin/env node
// Checks the installed dependency tree (package-lock.json) before the tests run in CI:
//  1. every package supports the Node.js versions the project declares (package.json "engines");
//  2. no package is in a range of a published security advisory. `npm audit` is asked first;
//     where the registry does not serve it (offline mirrors), security/advisories.json is used.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import semver from 'semver';

const project = JSON.parse(readFileSync('package.json', 'utf8'));
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const declared = project.engines?.node ?? '*';
const oldestNode = semver.minVersion(declared)?.version;
const problems = [];

for (const [path, pkg] of Object.entries(lock.packages)) {
  if (!path || !pkg.engines?.node || !oldestNode) continue;
  if (!semver.satisfies(oldestNode, pkg.engines.node)) {
    problems.push(`${path.replace(/^.*node_modules\//, '')}@${pkg.version} needs Node ${pkg.engines.node}, but package.json promises ${declared}`);
  }
}
if (!semver.satisfies(process.version, declared)) problems.push(`running Node ${process.version}, outside the declared ${declared}`);

const audit = spawnSync('npm', ['audit', '--json', '--audit-level=high'], { encoding: 'utf8', timeout: 30_000 });
let report = null;
try {
  report = JSON.parse(audit.stdout);
} catch {
  report = null;
}
if (report?.metadata?.vulnerabilities) {
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) {
    if (v.severity === 'high' || v.severity === 'critical') problems.push(`npm audit: ${name} (${v.severity}) ${v.range}`);
  }
  console.log(`npm audit: ${report.metadata.vulnerabilities.total} known vulnerabilities (high and critical fail the check)`);
} else {
  const { advisories } = JSON.parse(readFileSync('security/advisories.json', 'utf8'));
  let checked = 0;
  for (const [path, pkg] of Object.entries(lock.packages)) {
    if (!path.includes('node_modules/')) continue;
    const name = path.replace(/^.*node_modules\//, '');
    checked++;
    for (const advisory of advisories) {
      if (advisory.package === name && semver.satisfies(pkg.version, advisory.vulnerable)) {
        problems.push(`${name}@${pkg.version} (${path}): ${advisory.id} ${advisory.summary} — vulnerable ${advisory.vulnerable}`);
      }
    }
  }
  console.log(`npm audit unavailable here: ${checked} installed packages checked against ${advisories.length} advisories in security/advisories.json`);
}

if (problems.length > 0) {
  console.error(`Dependency check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`Dependencies: every package supports Node ${declared}; no known advisory applies.`);
