/**
 * Small fact logs whose states a reader can work out by hand (layout `seed`: no page header,
 * 28-byte meta blocks, 4068 bytes in a fresh page's free block), for the tests of `diff` and
 * `view`.
 */
import { LAYOUTS, type Policy } from '@lmm/core';
import { factLine, headerLine, makeHeader } from '@lmm/replay';
import { runCommands } from '@lmm/testkit';

/**
 * Five commands on one 100-byte family:
 * 1. register f;
 * 2. alloc a: page 1 is requested (the heap's peak: 4096 bytes); a @0 (100 B), free @128 of 4068 − 128 = 3940 B;
 * 3. alloc b: b @128, free @256 of 3812 B (200 live bytes: the live peak, first reached here);
 * 4. free a: @0 is free (100 B) beside b, so no merge; the queue is 3812 @256, then 100 @0;
 * 5. alloc c: worst-fit takes the queue's head (c @256, free @384 of 3684 B); best-fit the
 *    smallest block that fits (c @0, an exact fit) — the runs part here.
 */
export const PARTING: readonly unknown[] = [
  { op: 'register', family: 'f', size: 100 },
  { op: 'alloc', id: 'a', family: 'f' },
  { op: 'alloc', id: 'b', family: 'f' },
  { op: 'free', id: 'a' },
  { op: 'alloc', id: 'c', family: 'f' },
];

/** `PARTING` and a sixth command, alloc d, which takes the live bytes to a new peak (300) at command 6. */
export const PARTING_AND_D: readonly unknown[] = [...PARTING, { op: 'alloc', id: 'd', family: 'f' }];

/** The fact log of `commands` on the seed layout under `policy`, as `lmm run --facts` writes it: a header line, then one line per fact. */
export function logText(policy: Policy, commands: readonly unknown[]): string {
  const lines = [headerLine(makeHeader(LAYOUTS.seed, policy, null))];
  runCommands({ layout: LAYOUTS.seed, policy, maxPages: null }, commands).facts.forEach((facts, i) => {
    for (const f of facts) lines.push(factLine(lines.length, i + 1, f));
  });
  return `${lines.join('\n')}\n`;
}
