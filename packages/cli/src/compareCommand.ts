import { availableParallelism } from 'node:os';
import { isPolicy, LAYOUTS, parseLayout, POLICIES, type Layout, type Policy } from '@lmm/core';
import type { FamilyMapping } from '@lmm/replay';
import { compareCsv, compareJson, compareTable } from './compareFormat.js';
import { comparePage } from './comparePage.js';
import { runJobs } from './comparePool.js';
import type { CompareJob, CompareRow } from './compareRun.js';
import { printWarning, type CliIo } from './cliIo.js';
import { parseCommandLine } from './commandSpec.js';
import { COMPARE_SPEC } from './compareSpec.js';
import { familiesOption, intOption } from './options.js';
import { OutputFile } from './outputFile.js';
import { userPath } from './paths.js';
import { UsageError } from './usageError.js';

/** A comma-separated list option: its items, each checked by `parse`; `fallback` when absent. */
function listOption<T>(name: string, value: string | undefined, fallback: readonly T[], parse: (item: string) => T): T[] {
  if (value === undefined) return [...fallback];
  const items = value.split(',');
  if (items.some((s) => s === '')) throw new UsageError(`--${name}: '${value}' has an empty item (a comma-separated list)`);
  return items.map(parse);
}

function policyItem(p: string): Policy {
  if (!isPolicy(p)) throw new UsageError(`--policies: unknown policy '${p}' (${POLICIES.join(', ')})`);
  return p;
}

/** A line on `io.stderr` as each run ends, when it is a terminal. */
function progressLine(io: CliIo, jobs: readonly CompareJob[], started: number): (index: number, row: CompareRow) => void {
  let done = 0;
  if (io.stderr.isTTY !== true) return () => {};
  return (_index, row) => {
    done++;
    const s = ((performance.now() - started) / 1000).toFixed(1);
    io.stderr.write(`lmm compare: ${done}/${jobs.length} ${row.trace} · ${row.layout} · ${row.families} · ${row.policy}: ${row.commands.toLocaleString('en')} commands, peak utilization ${(row.peakUtilization * 100).toFixed(1)}% (${s} s)\n`);
  };
}

/**
 * `lmm compare TRACE… [--policies P,…] [--layouts L,…] [--families F,…] [--max-pages N]
 * [--jobs N] [--json | --csv] [-o FILE.html]` (SPEC §5): runs every trace under every
 * combination of the lists (defaults: all four policies, layout seed, families single), each
 * run on its own, spread over `--jobs` worker threads (default: one per CPU; 1 runs them in
 * this thread), and prints one row per run in the order the lists give (trace, then layout,
 * then families, then policy). The output is the same whatever `--jobs`. A trace that cannot
 * be read fails the command (exit 2, `FILE:LINE`) with nothing printed and no page written.
 * A trace reader's warnings are printed once each, after the runs, in trace order; on a
 * terminal, a line on `io.stderr` tells each run as it ends.
 */
export async function compareCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals: traces } = parseCommandLine(COMPARE_SPEC, args);
  // Each trace is read once per run: standard input cannot be.
  if (traces.includes('-')) throw new UsageError('compare: reads each trace once per run, so not from standard input (-); name a file');
  if (traces.length === 0) throw new UsageError('compare: expected TRACE…, got nothing');
  if (values.json && values.csv) throw new UsageError('compare: --json and --csv are two different outputs; choose one');
  const policies = listOption('policies', values.policies, POLICIES, policyItem);
  const layouts = listOption<{ name: string; layout: Layout }>('layouts', values.layouts, [{ name: 'seed', layout: LAYOUTS.seed }], (name) => {
    const layout = parseLayout(name);
    if (typeof layout === 'string') throw new UsageError(`--layouts: ${layout}`);
    return { name, layout };
  });
  const families = listOption<FamilyMapping>('families', values.families, ['single'], (f) => {
    try {
      return familiesOption(f);
    } catch (e) {
      throw new UsageError(`--families: ${(e as Error).message.replace(/^--families: /, '')}`);
    }
  });
  const maxPages = intOption('max-pages', values['max-pages']) ?? null;
  const threads = intOption('jobs', values.jobs, 1) ?? availableParallelism();
  // Opened first, so a bad output path fails before any run.
  const out = values.output === undefined ? undefined : await OutputFile.open(values.output, { inputs: traces });
  const jobs: CompareJob[] = [];
  for (const trace of traces) {
    for (const { name, layout } of layouts) {
      for (const f of families) {
        for (const policy of policies) jobs.push({ trace, path: userPath(trace), layoutName: name, layout, families: f, policy, maxPages, series: out !== undefined });
      }
    }
  }
  const progress = progressLine(io, jobs, performance.now());
  const results = await runJobs(jobs, threads, (i, r) => progress(i, r.row));
  // Every run of a trace reads it whole, so each says the same: one line per warning.
  for (const w of new Set(results.flatMap((r) => r.warnings ?? []))) printWarning(io, w);
  const rows = results.map((r) => r.row);
  if (out !== undefined) {
    out.write(comparePage(results));
    out.commit();
  }
  // With the page on standard output, the rows go to stderr.
  const report = out?.takesStdout ? io.stderr : io.stdout;
  report.write(values.json ? `${compareJson(rows)}\n` : values.csv ? compareCsv(rows) : compareTable(rows));
  return 0;
}
