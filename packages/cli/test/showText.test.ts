/**
 * `lmm show`'s text (SPEC §5) on a heap small enough to check by hand: seed layout (4096-byte
 * pages, no page header, 28-byte meta blocks), worst fit.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, initialState, parseLayout, type HeapState, type PageState } from '@lmm/core';
import { pageBar } from '../src/showCommand.js';
import { lmmInProcess } from './lmmInProcess.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-show-text-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const TRACE = [
  { op: 'register', family: 'a', size: 100 },
  { op: 'register', family: 'big', size: 3000 },
  { op: 'alloc', id: 'x', family: 'a' },
  { op: 'alloc', id: 'y', family: 'a', units: 2 },
  { op: 'alloc', id: 'L', family: 'big', units: 2 },
  { op: 'free', id: 'x' },
];

beforeAll(async () => {
  writeFileSync(join(tmp, 't.jsonl'), `${TRACE.map((c) => JSON.stringify(c)).join('\n')}\n`);
  const r = await lmmInProcess(['run', 't.jsonl', '--facts', 't.log'], { cwd: tmp });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
});

const show = async (...args: string[]) => {
  const r = await lmmInProcess(['show', 't.log', ...args], { cwd: tmp });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return r.stdout;
};

describe('lmm show as text', () => {
  it('draws each page as 64 cells and lists its blocks and the free queue', async () => {
    // Family a, page 1: x's block (28 + 100 B at 0) is free again; y's (28 + 200 B) starts at
    // 128; the rest, 4096 − 356 − 28 = 3712 B, is free. A cell is 64 B, drawn by the block at
    // its middle: cells 0–1 free (.), 2–5 y (#: middles 160…352 < 356), 6–63 free.
    // Family big: L is a large run of 2 pages (8192 B, cells of 128 B): 28 + 6000 B
    // allocated, then a 2164 B gap (:) — cells 0–46 have their middle below 6028.
    // Worst fit's queue: largest first, as page:offset=size.
    expect(await show()).toBe(`t.log: after command 6 (the end)
layout seed, worst-fit: 3 pages in use (12288 bytes), 6200 bytes allocated in 2 blocks

family a (100 B structs): 1 page, 3 blocks (1 allocated, 2 free), 200 B allocated, 3812 B free
  page 1  [..####..........................................................]
       offset      size  state
            0       100  free
          128       200  allocated  "y"
          356      3712  free
  free queue (2): 1:356=3712 1:0=100

family big (3000 B structs): 2 pages, 1 block (1 allocated, 0 free), 6000 B allocated, 0 B free
  page 2 (2 pages)  [${'#'.repeat(47)}${':'.repeat(17)}]
       offset      size  state
            0      6000  allocated  "L"  +2164 B gap
  free queue: empty
`);
  });

  it('before any page, and before any family', async () => {
    expect(await show('--at', '2')).toBe(`t.log: after command 2
layout seed, worst-fit: 0 pages in use (0 bytes), 0 bytes allocated in 0 blocks

family a (100 B structs): 0 pages, 0 blocks (0 allocated, 0 free), 0 B allocated, 0 B free
  free queue: empty

family big (3000 B structs): 0 pages, 0 blocks (0 allocated, 0 free), 0 B allocated, 0 B free
  free queue: empty
`);
    expect(await show('--at', '0')).toBe(`t.log: after command 0
layout seed, worst-fit: 0 pages in use (0 bytes), 0 bytes allocated in 0 blocks
no families registered
`);
  });

  it('one block, one page, and where a peak was', async () => {
    // After command 3: x alone, 28 + 100 B at 0 (cells 0–1), 3940 B free after it.
    const text = await show('--at', '3');
    expect(text).toContain('layout seed, worst-fit: 1 page in use (4096 bytes), 100 bytes allocated in 1 block\n');
    expect(text).toContain('family a (100 B structs): 1 page, 2 blocks (1 allocated, 1 free), 100 B allocated, 3940 B free\n');
    expect(text).toContain(`  page 1  [##${'.'.repeat(62)}]\n`);
    expect(text).toContain('  free queue (1): 1:128=3940\n');
    // The live bytes peak at command 5 (6300 B); the heap's too (3 pages, first reached there).
    expect((await show('--at', 'peak-live')).split('\n')[0]).toBe('t.log: after command 5 (peak-live)');
    expect((await show('--at', 'peak-heap')).split('\n')[0]).toBe('t.log: after command 5 (peak-heap)');
  });
});

describe('pageBar: one character per cell, by what lies at the cell middle', () => {
  function onlyPage(layout: string, size: number): [PageState, HeapState] {
    const parsed = parseLayout(layout);
    if (typeof parsed === 'string') throw new Error(parsed);
    const engine = new Engine(initialState({ layout: parsed }));
    engine.execute({ op: 'register', family: 'f', size });
    engine.execute({ op: 'alloc', id: 'a', family: 'f' });
    const state = engine.snapshot();
    return [[...state.families.get(0)!.pages.values()][0]!, state];
  }

  it('the page header and meta blocks are drawn (:), as the data they hold (# and .)', () => {
    // 256-byte page, 40 B header, 20 B meta blocks: 64 cells of 4 B, middles at 2, 6, 10, …
    // a's meta 40–60 and data 60–70; the free block's meta 70–90 and data 90–256.
    // Header: middles 2…38 (10 cells); a's meta: 42…58 (5); a: 62, 66 (2); meta: 70…86 (5); free: 90…254 (42).
    const [page, state] = onlyPage('256:40:20', 10);
    expect(pageBar(page, state)).toBe(`${':'.repeat(10)}${':'.repeat(5)}##${':'.repeat(5)}${'.'.repeat(42)}`);
  });

  it('a middle that falls on a block start is drawn by that block', () => {
    // 256:0:0: a is bytes 0–2, the free block 2–256; the first middle (2) is the free block's first byte.
    const [page, state] = onlyPage('256:0:0', 2);
    expect(pageBar(page, state)).toBe('.'.repeat(64));
  });
});
