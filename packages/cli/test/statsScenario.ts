/**
 * A ten-command run whose statistics are worked out by hand below, after every command, for
 * the tests of `lmm stats` and of opening a log at a command (logAt). Every column of
 * `stats --csv` takes a value of its own somewhere in it: both kinds of internal
 * fragmentation, an avoidable page request, ratios with more than six decimals, a peak the
 * last state is below, and a heap peak that later commands reach again.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lmmInProcess } from './lmmInProcess.js';

/**
 * Layout seed (page 4096 bytes, no page header, 28-byte meta blocks, so a fresh page is one
 * free block of 4068), worst fit, one family `a` of 10-byte structs.
 */
export const STATS_TRACE = [
  { op: 'register', family: 'a', size: 10 }, //  1: Registered
  { op: 'alloc', id: 'p1', family: 'a', units: 100 }, //  2: page 1; p1 1000 B at 0, free 3040 at 1028
  { op: 'alloc', id: 'p2', family: 'a', units: 100 }, //  3: p2 1000 B at 1028, free 2012 at 2056
  { op: 'alloc', id: 'p3', family: 'a', units: 100 }, //  4: p3 1000 B at 2056, free 984 at 3084
  { op: 'alloc', id: 'p4', family: 'a', units: 95 }, //  5: p4 950 B at 3084; rem 34 > 28: free 6 at 4062, < 10 B: soft
  { op: 'free', id: 'p1' }, //  6: free 1000 at 0 (p2 beside it is allocated)
  { op: 'free', id: 'p3' }, //  7: free 1000 at 2056 (p2 and p4 beside it)
  { op: 'alloc', id: 'p5', family: 'a', units: 110 }, //  8: 1100 B: no block holds it, page 2 — while 2006 free bytes would: avoidable; free 2940 at 1128
  { op: 'alloc', id: 'p6', family: 'a', units: 292 }, //  9: 2920 B from the 2940 (the largest, worst fit): rem 20 ≤ 28, a gap: hard
  { op: 'free', id: 'p6' }, // 10: p6 takes its gap back: free 2940 at 1128 again
];

/**
 * `lmm stats --csv` of STATS_TRACE, row by row (header, then commands 0…10). Ratios are
 * rounded to 6 decimals: externalFrag = 1 − largestFree/freeBytes (6: 1 − 1000/1006 =
 * 0.0059642…; 7 and 9: 1 − 1000/2006 = 0.5014955…; 8 and 10: 1 − 2940/4946 = 0.4055802…),
 * utilization = live/heap (2: 1000/4096 = 0.2441406…; 9: 5970/8192 = 0.7287597…), the peak
 * utilization = peak live / peak heap (8: 3950/8192 = 0.4821777…). appMemUsage = live + 28
 * per allocated block. After command 9 a family's free blocks under 10 bytes: the 6 at 4062
 * (softFragBytes); the gap of p6: 20 (hardFragBytes).
 */
export const STATS_CSV = [
  'cmd,pages,heapBytes,tbc,fbc,obc,liveBytes,appMemUsage,freeBytes,hardFragBytes,softFragBytes,largestFree,externalFrag,utilization,peakLiveBytes,peakHeapBytes,peakUtilization,pageRequests,avoidableGrowth',
  '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0',
  '1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0',
  '2,1,4096,2,1,1,1000,1028,3040,0,0,3040,0,0.244141,1000,4096,0.244141,1,0',
  '3,1,4096,3,1,2,2000,2056,2012,0,0,2012,0,0.488281,2000,4096,0.488281,1,0',
  '4,1,4096,4,1,3,3000,3084,984,0,0,984,0,0.732422,3000,4096,0.732422,1,0',
  '5,1,4096,5,1,4,3950,4062,6,0,6,6,0,0.964355,3950,4096,0.964355,1,0',
  '6,1,4096,5,2,3,2950,3034,1006,0,6,1000,0.005964,0.720215,3950,4096,0.964355,1,0',
  '7,1,4096,5,3,2,1950,2006,2006,0,6,1000,0.501496,0.476074,3950,4096,0.964355,1,0',
  '8,2,8192,7,4,3,3050,3134,4946,0,6,2940,0.40558,0.372314,3950,8192,0.482178,2,1',
  '9,2,8192,7,3,4,5970,6082,2006,20,6,1000,0.501496,0.72876,5970,8192,0.72876,2,1',
  '10,2,8192,7,4,3,3050,3134,4946,0,6,2940,0.40558,0.372314,5970,8192,0.72876,2,1',
] as const;

/** The CSV lines of the header and of the commands `cmds`. */
export function csvLines(...cmds: number[]): string[] {
  return [STATS_CSV[0], ...cmds.map((c) => STATS_CSV[c + 1]!)];
}

/** Writes a trace of `commands` (one JSON value a line) at `dir/name`; its path. */
export function writeTrace(dir: string, name: string, commands: readonly unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, commands.map((c) => `${JSON.stringify(c)}\n`).join(''));
  return path;
}

/** Runs `commands` with `lmm run … --facts LOG` in `dir` (layout seed, worst fit): the fact log `dir/log`, with its index beside it. */
export async function writeLog(dir: string, log: string, commands: readonly unknown[]): Promise<string> {
  writeTrace(dir, `${log}.trace.jsonl`, commands);
  const r = await lmmInProcess(['run', `${log}.trace.jsonl`, '--facts', log], { cwd: dir });
  if (r.code !== 0) throw new Error(`lmm run: ${r.stderr}`);
  return join(dir, log);
}
