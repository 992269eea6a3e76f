// `pnpm mutate PACKAGE [FILE…] [-- STRYKER-ARGS…]`: StrykerJS mutation testing of one package
// (core, replay or cli) with stryker.config.mjs; not part of `pnpm test`.
//   pnpm mutate core                  every source file of core (index.ts aside)
//   pnpm mutate core decide choose    only packages/core/src/decide.ts and choose.ts
//   pnpm mutate replay diff/compareRuns  a file in a folder of src/
//   pnpm mutate cli -- --force        retest every mutant, not only the changed ones
// Reports go to reports/stryker/PACKAGE/GROUP/ (index.html, mutation.json), GROUP being `all`
// or the files named joined by `+`; the incremental file there makes a rerun of the same
// group test only the mutants whose code or tests changed. `node scripts/mutationScore.mjs`
// sums the newest report of every file.
// Property tests run at LMM_PROPERTY_SCALE 0.1 (at least 10 cases each) unless it is set;
// LMM_MUTATE_CONCURRENCY sets Stryker's test processes (default 2).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';

const PACKAGES = ['core', 'replay', 'cli'];
const argv = process.argv.slice(2);
const dashes = argv.indexOf('--');
const ours = dashes === -1 ? argv : argv.slice(0, dashes);
const extra = dashes === -1 ? [] : argv.slice(dashes + 1);
const [pkg, ...files] = ours;
if (pkg === undefined || !PACKAGES.includes(pkg)) {
  console.error(`usage: pnpm mutate ${PACKAGES.join('|')} [FILE…] [-- STRYKER-ARGS…]`);
  process.exit(2);
}
for (const f of files) {
  if (!existsSync(`packages/${pkg}/src/${f}.ts`)) {
    console.error(`lmm mutate: no packages/${pkg}/src/${f}.ts`);
    process.exit(2);
  }
}

// Stryker runs the tests in a copy of the repository under .stryker-tmp/sandbox-…/, where
// the tests' `../shared` (the reference outputs and real traces beside the repository)
// would be .stryker-tmp/shared: link it there.
const shared = resolve('..', 'shared');
const link = resolve('.stryker-tmp', 'shared');
if (existsSync(shared) && !existsSync(link)) {
  mkdirSync('.stryker-tmp', { recursive: true });
  symlinkSync(shared, link, 'dir');
}

// A file in a folder (diff/compareRuns) names its group with '~' for '/': one directory per group.
const group = files.length === 0 ? 'all' : files.join('+').replaceAll('/', '~');
const env = {
  ...process.env,
  LMM_MUTATE: pkg,
  LMM_MUTATE_FILES: files.join(','),
  LMM_MUTATE_OUT: `reports/stryker/${pkg}/${group}`,
  LMM_PROPERTY_SCALE: process.env.LMM_PROPERTY_SCALE || '0.1',
};
console.log(`lmm mutate: ${pkg} ${group} → ${env.LMM_MUTATE_OUT}/`);
const r = spawnSync('pnpm', ['exec', 'stryker', 'run', 'stryker.config.mjs', ...extra], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
