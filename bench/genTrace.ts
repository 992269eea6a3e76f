// A deterministic synthetic command trace for benchmarks: a few families, then a steady
// mix of allocs (mostly small, some multi-unit, rare large), frees of random live ids and
// reallocs, holding about `live` blocks. Seeded xorshift: same arguments, same trace.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Engine, initialState, LAYOUTS, type Policy } from '@lmm/core';
import { factLine, headerLine, makeHeader } from '@lmm/replay';
import { xorshift } from '@lmm/testkit';

/** Yields JSON command objects. */
export function* generateCommands(count: number, live: number, seed = 42): Generator<object> {
  const rnd = xorshift(seed);
  const families = [
    ['emp_t', 36],
    ['student_t', 56],
    ['node_t', 24],
    ['buf_t', 200],
  ] as const;
  for (const [family, size] of families) yield { op: 'register', family, size };
  const ids: string[] = [];
  let next = 0;
  for (let i = families.length; i < count; i++) {
    const r = rnd();
    if (ids.length < live ? r < 0.8 : r < 0.45) {
      const [family] = families[Math.floor(rnd() * families.length)]!;
      const u = rnd();
      const units = u < 0.8 ? 1 : u < 0.99 ? 1 + Math.floor(rnd() * 8) : 100 + Math.floor(rnd() * 200);
      const id = `b${next++}`;
      ids.push(id);
      yield { op: 'alloc', id, family, units };
    } else if (ids.length > 0 && r < 0.97) {
      const k = Math.floor(rnd() * ids.length);
      const id = ids[k]!;
      ids[k] = ids[ids.length - 1]!;
      ids.pop();
      yield { op: 'free', id };
    } else if (ids.length > 0) {
      const k = Math.floor(rnd() * ids.length);
      const to = `b${next++}`;
      const from = ids[k]!;
      ids[k] = to;
      yield { op: 'realloc', id: from, units: 1 + Math.floor(rnd() * 4), to };
    } else {
      i--;
    }
  }
}

/** Writes a generated trace to `file` as command JSONL. */
export async function writeTrace(file: string, count: number, live: number, seed = 42): Promise<void> {
  const out = createWriteStream(file);
  let buf: string[] = [];
  for (const c of generateCommands(count, live, seed)) {
    buf.push(JSON.stringify(c));
    if (buf.length >= 10000) {
      if (!out.write(`${buf.join('\n')}\n`)) await once(out, 'drain');
      buf = [];
    }
  }
  if (buf.length > 0) out.write(`${buf.join('\n')}\n`);
  out.end();
  await once(out, 'finish');
}

/**
 * Runs the generated trace (seed layout, no page limit) and writes its fact log to `file` as
 * `lmm run --facts` writes it; returns how many facts it holds.
 */
export async function writeFactLog(file: string, count: number, live: number, policy: Policy, seed = 42): Promise<{ facts: number }> {
  const out = createWriteStream(file);
  const engine = new Engine(initialState({ layout: LAYOUTS.seed, policy }));
  let buf = [headerLine(makeHeader(LAYOUTS.seed, policy, null))];
  let seq = 0;
  let cmd = 0;
  for (const c of generateCommands(count, live, seed)) {
    cmd++;
    for (const f of engine.execute(c)) buf.push(factLine(++seq, cmd, f));
    if (buf.length >= 10_000) {
      if (!out.write(`${buf.join('\n')}\n`)) await once(out, 'drain');
      buf = [];
    }
  }
  out.end(`${buf.join('\n')}\n`);
  await once(out, 'finish');
  return { facts: seq };
}
