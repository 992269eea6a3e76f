// `node scripts/mutationScore.mjs [PACKAGE…] [--survivors]`: the mutation score of each package
// from the reports `pnpm mutate` left in reports/stryker/PACKAGE/*/mutation.json, each source
// file counted from the newest report that holds it. Prints one row per file and the
// package's total (score = killed + timed out over killed + timed out + survived + no
// coverage, as Stryker counts it); --survivors also lists every surviving or uncovered mutant
// with its line.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const survivors = args.includes('--survivors');
const packages = args.filter((a) => !a.startsWith('--'));
const STATUSES = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'Ignored', 'CompileError', 'RuntimeError'];
const count = (ms, s) => ms.filter((m) => m.status === s).length;
const score = (ms) => {
  const detected = count(ms, 'Killed') + count(ms, 'Timeout');
  const valid = detected + count(ms, 'Survived') + count(ms, 'NoCoverage');
  return valid === 0 ? '-' : ((100 * detected) / valid).toFixed(2);
};

for (const pkg of packages.length > 0 ? packages : ['core', 'replay', 'cli']) {
  const dir = join('reports', 'stryker', pkg);
  if (!existsSync(dir)) continue;
  /** file → { mtime, file report } */
  const newest = new Map();
  for (const group of readdirSync(dir)) {
    const path = join(dir, group, 'mutation.json');
    if (!existsSync(path)) continue;
    const mtime = statSync(path).mtimeMs;
    const report = JSON.parse(readFileSync(path, 'utf8'));
    for (const [file, f] of Object.entries(report.files)) {
      if (!(newest.get(file)?.mtime > mtime)) newest.set(file, { mtime, f, group });
    }
  }
  console.log(`## ${pkg}`);
  console.log(['file', ...STATUSES, 'score%', 'report'].join('\t'));
  const all = [];
  for (const [file, { f, group }] of [...newest].sort()) {
    all.push(...f.mutants);
    console.log([file, ...STATUSES.map((s) => count(f.mutants, s)), score(f.mutants), group].join('\t'));
  }
  console.log(['TOTAL', ...STATUSES.map((s) => count(all, s)), score(all)].join('\t'));
  if (!survivors) continue;
  for (const [file, { f }] of [...newest].sort()) {
    const bad = f.mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage').sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
    if (bad.length === 0) continue;
    console.log(`\n### ${file}`);
    const lines = f.source.split('\n');
    for (const m of bad) {
      const l = m.location.start.line;
      console.log(`${m.status.padEnd(10)} L${l}:${m.location.start.column} ${m.mutatorName}: ${JSON.stringify(m.replacement ?? '').slice(0, 80)}  | ${lines[l - 1]?.trim().slice(0, 110)}`);
    }
  }
  console.log('');
}
