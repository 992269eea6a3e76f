// Runs vitest with its JSON reporter and prints the plain `N passed, N failed` line CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The viewer's browser tests need Debian's Chromium; install it when missing (root only:
// this is how a fresh machine gets it without a hand step).
if (!existsSync('/usr/bin/chromium') && process.getuid?.() === 0) {
  console.log('lmm test: installing chromium for the browser tests (apt-get)…');
  spawnSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null'], { stdio: 'inherit' });
}

// Property tests run a quarter of the cases they name (at least 10 each: every check still
// runs) so the suite fits a two-core CI machine; LMM_PROPERTY_SCALE=1 runs them all, and
// `pnpm fuzz` runs the fuzz properties ten times longer. See testkit's propertyRuns.
const env = { ...process.env, LMM_PROPERTY_SCALE: process.env.LMM_PROPERTY_SCALE || '0.25' };

const dir = mkdtempSync(join(tmpdir(), 'lmm-test-'));
const out = join(dir, 'vitest.json');
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)];
const res = spawnSync('pnpm', ['exec', ...args], { stdio: 'inherit', env });
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const report = JSON.parse(readFileSync(out, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
} catch (e) {
  console.error(`lmm test: no vitest report (${e.message})`);
  failed = failed || 1;
}
rmSync(dir, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
process.exit(res.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
