/**
 * Issue 15's fact logs that fold into states SPEC §2 forbids, each as it was found: a log
 * must be refused (an InputError naming the line) or, cut off at its end, read up to its last
 * whole command with a warning — never folded into a state that breaks an invariant.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkInvariants, Engine, initialState, LAYOUTS, type Fact } from '@lmm/core';
import { factLine, foldLog, headerLine, InputError, makeHeader } from '@lmm/replay';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-fold-holes-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const HEADER = headerLine(makeHeader(LAYOUTS.seed, 'worst-fit', null));

let n = 0;
/** Writes a seed-layout fact log of `facts` ([cmd, fact] in order, seq numbered 1, 2, …); returns its path. */
function log(facts: readonly (readonly [number, Fact])[]): string {
  const path = join(tmp, `log${++n}.jsonl`);
  writeFileSync(path, `${[HEADER, ...facts.map(([cmd, f], i) => factLine(i + 1, cmd, f))].join('\n')}\n`);
  return path;
}

/** The facts `lmm run` writes for `commands` under the seed layout, as [cmd, fact]. */
function run(commands: readonly unknown[]): [number, Fact][] {
  const engine = new Engine(initialState({ layout: LAYOUTS.seed }));
  return commands.flatMap((c, i) => engine.execute(c).map((f): [number, Fact] => [i + 1, f]));
}

/** The log is refused with an InputError (under --strict, as `show --json --strict` reads it). */
async function expectRefused(path: string): Promise<void> {
  const result = await foldLog(path, { strict: true }).then(
    (folded) => ({ folded: folded.commands, invariants: checkInvariants(folded.state) }),
    (e: unknown) => e,
  );
  expect(result).toBeInstanceOf(InputError);
}

const registered: [number, Fact] = [1, { type: 'Registered', family: 'a', size: 8 }];
const x: [number, Fact][] = [
  [2, { type: 'PageRequest', family: 'a', page: 1, count: 1 }],
  [2, { type: 'Allocated', id: 'x', family: 'a', page: 1, offset: 0, size: 8, units: 1, frag: 'none', gap: 0 }],
];
const freedX: [number, Fact] = [3, { type: 'Freed', id: 'x', family: 'a', page: 1, offset: 0, size: 8, merged: { offset: 0, size: 4068 } }];

describe('issue 15: fact logs that fold into impossible states', () => {
  it('a Freed fact that fills its page with no PageRelease after it is refused (SPEC §2 inv. 3, 5)', async () => {
    // The page would hold one free block missing from the queue; command 4 then requests a new page.
    const y: [number, Fact][] = [
      [4, { type: 'PageRequest', family: 'a', page: 2, count: 1 }],
      [4, { type: 'Allocated', id: 'y', family: 'a', page: 2, offset: 0, size: 8, units: 1, frag: 'none', gap: 0 }],
    ];
    await expectRefused(log([registered, ...x, freedX, ...y]));
  });

  it('a PageRelease dropped mid-log, seq renumbered, is refused', async () => {
    const facts = run([
      { op: 'register', family: 'a', size: 8 },
      { op: 'alloc', id: 'x', family: 'a' },
      { op: 'free', id: 'x' },
      { op: 'alloc', id: 'y', family: 'a' },
      { op: 'free', id: 'y' },
    ]);
    const release = facts.findIndex(([, f]) => f.type === 'PageRelease');
    expect(facts[release]![0]).toBe(3);
    facts.splice(release, 1);
    await expectRefused(log(facts));
  });

  it('a log that stops between Freed and PageRelease (its last line whole) is refused: the PageRelease is missing', async () => {
    const folded = await foldLog(log([registered, ...x, freedX]), { displayName: 'log' }).catch((e: unknown) => e);
    expect(folded).toBeInstanceOf(InputError);
    expect((folded as InputError).message).toBe('log:5: command 3: the log has Freed where worst-fit gives Freed, PageRelease for free "x"');
  });

  it('a large run with too many pages (count 3 for 4800 B, SPEC §1 asks for 2) is refused', async () => {
    // k = ceil((0 + 28 + 4800) / 4096) = 2; with 3 pages the gap would be 3·4096 − 28 − 4800 = 7460.
    await expectRefused(
      log([
        registered,
        [2, { type: 'PageRequest', family: 'a', page: 1, count: 3 }],
        [2, { type: 'Allocated', id: 'big', family: 'a', page: 1, offset: 0, size: 4800, units: 600, frag: 'large', gap: 7460 }],
      ]),
    );
  });

  it.each([
    ['a space', 'a b'],
    ['200 characters', 'n'.repeat(200)],
    // (HTML without a space, like `<img/src=x>`, is a valid name: the viewer shows it as text.)
    ['HTML', '<img src=x onerror=alert(1)>'],
  ])('a Registered family name with %s (SPEC §1: 1–64 printable ASCII, no spaces) is refused', async (_what, family) => {
    await expectRefused(log([[1, { type: 'Registered', family, size: 8 }]]));
  });
});
