// @lmm/replay: write the fact logs of two runs of one trace (worst fit and best fit), load
// them for time travel, seek to any command, and diff the two runs.
// Run from the repository root: node examples/replay-seek-diff.mjs [TRACE]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, tap } from 'rxjs';
import { initialState, LAYOUTS } from '@lmm/core';
import { runCommands } from '@lmm/events';
import { compareRuns, describeChange, FactLogWriter, makeHeader, ReplayLog, traceBatches } from '@lmm/replay';

const trace = process.argv[2] ?? 'scenarios/best-vs-worst-fit.jsonl';
const layout = LAYOUTS.seed;
const dir = mkdtempSync(join(tmpdir(), 'lmm-example-'));

/** Runs the trace under `policy` and writes its fact log (SPEC §3); returns the log's path. */
async function record(policy) {
  const lines = [];
  const writer = new FactLogWriter({ line: (text) => lines.push(text) }, makeHeader(layout, policy, null));
  await lastValueFrom(traceBatches(trace, { layout }).pipe(runCommands(initialState({ layout, policy })), tap(writer)));
  const path = join(dir, `${policy}.jsonl`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

try {
  const worst = await ReplayLog.load(await record('worst-fit'));
  const best = await ReplayLog.load(await record('best-fit'));
  console.log(`${trace}: ${worst.commands} commands`);
  for (const at of [0, 3, worst.commands]) console.log(`  worst fit after command ${at}: ${worst.seek(at).pagesInUse} pages in use`);

  const cmp = compareRuns(worst, best);
  const d = cmp.firstDivergence;
  console.log(d === null ? 'the runs agree' : `the runs part at command ${d.cmd}:\n  worst fit: ${JSON.stringify(d.a)}\n  best fit:  ${JSON.stringify(d.b)}`);
  console.log(`after command ${cmp.at} the heaps differ in ${cmp.changes.length} ways (worst → best):`);
  for (const c of cmp.changes) console.log(`  ${describeChange(c)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
