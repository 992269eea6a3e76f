// `pnpm fuzz [--runs N] [--seed S] [--only TEXT]`: the fuzz and model-based properties of
// the test suite (every reader on hostile input; `step` on hostile commands; the RxJS
// engine against a model), run longer — N runs each (default 20 000 for the fast ones,
// 2 000 for the ones that touch files or streams, i.e. 10× the suite's counts or more).
// Prints each property's time and, for the readers, which checks the inputs reached.
// Exits 1 with the counterexample (and the seed to replay it) when a property fails.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HANG_MS, outcomes, readerProperties } from '../packages/replay/test/fuzzProperties.js';
import { engineProperties } from '../test/reliabilityProperties.js';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { runs: { type: 'string' }, seed: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log('usage: pnpm fuzz [--runs N] [--seed S] [--only TEXT]');
  process.exit(0);
}
const runs = values.runs === undefined ? undefined : Number(values.runs);
if (runs !== undefined && !(Number.isInteger(runs) && runs > 0)) {
  console.error(`fuzz: --runs '${values.runs}' is not an integer ≥ 1`);
  process.exit(2);
}
const seed = values.seed === undefined ? Date.now() ^ (process.pid << 16) : Number(values.seed);

const dir = mkdtempSync(join(tmpdir(), 'lmm-fuzz-'));
const properties = [...readerProperties(dir).map((p) => ({ ...p, readers: true })), ...engineProperties().map((p) => ({ ...p, readers: false }))].filter((p) => values.only === undefined || p.name.includes(values.only));
console.log(`lmm fuzz: ${properties.length} properties, seed ${seed}${runs === undefined ? '' : `, ${runs} runs each`}`);
let failed = 0;
try {
  for (const p of properties) {
    const numRuns = runs ?? Math.max(p.runs * 10, p.runs >= 1000 ? 20_000 : 2_000);
    outcomes.clear();
    const t0 = performance.now();
    const details = await fc.check(p.property, { numRuns, seed, timeout: HANG_MS });
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    if (details.failed) {
      failed++;
      console.log(`FAIL ${p.name} (${details.numRuns} runs, ${seconds} s)\n${fc.defaultReportMessage(details) ?? ''}`);
      continue;
    }
    console.log(`ok   ${p.name} (${numRuns} runs, ${seconds} s)`);
    if (p.readers && outcomes.size > 0) {
      const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
      const top = [...outcomes].sort((a, b) => b[1] - a[1]).slice(0, 8);
      console.log(`     reads ended: ${top.map(([k, v]) => `${((100 * v) / total).toFixed(1)}% ${k}`).join('; ')}; ${outcomes.size} kinds in all`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(failed === 0 ? 'lmm fuzz: all properties hold' : `lmm fuzz: ${failed} of ${properties.length} properties failed`);
process.exit(failed === 0 ? 0 : 1);
