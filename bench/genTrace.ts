// A deterministic synthetic command trace for benchmarks: a few families, then a steady
// mix of allocs (mostly small, some multi-unit, rare large), frees of random live ids and
// reallocs, holding about `live` blocks. Seeded xorshift: same arguments, same trace.
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { Engine, initialState, LAYOUTS, type Policy } from '@lmm/core';
import { factLine, headerLine, makeHeader } from '@lmm/replay';
import { xorshift } from '@lmm/testkit';

/** How one generated command becomes a value: an object, or its JSONL line. */
interface CommandMaker<T> {
  register(family: string, size: number): T;
  alloc(id: string, family: string, units: number): T;
  free(id: string): T;
  realloc(id: string, units: number, to: string): T;
}

const AS_OBJECT: CommandMaker<object> = {
  register: (family, size) => ({ op: 'register', family, size }),
  alloc: (id, family, units) => ({ op: 'alloc', id, family, units }),
  free: (id) => ({ op: 'free', id }),
  realloc: (id, units, to) => ({ op: 'realloc', id, units, to }),
};

// The same bytes as JSON.stringify of AS_OBJECT's objects (ids and family names need no escaping).
const AS_LINE: CommandMaker<string> = {
  register: (family, size) => `{"op":"register","family":"${family}","size":${size}}`,
  alloc: (id, family, units) => `{"op":"alloc","id":"${id}","family":"${family}","units":${units}}`,
  free: (id) => `{"op":"free","id":"${id}"}`,
  realloc: (id, units, to) => `{"op":"realloc","id":"${id}","units":${units},"to":"${to}"}`,
};

/** The generator behind generateCommands and traceLines: one random sequence, two encodings. */
function* generate<T>(count: number, live: number, seed: number, make: CommandMaker<T>): Generator<T> {
  const rnd = xorshift(seed);
  const families = [
    ['emp_t', 36],
    ['student_t', 56],
    ['node_t', 24],
    ['buf_t', 200],
  ] as const;
  for (const [family, size] of families) yield make.register(family, size);
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
      yield make.alloc(id, family, units);
    } else if (ids.length > 0 && r < 0.97) {
      const k = Math.floor(rnd() * ids.length);
      const id = ids[k]!;
      ids[k] = ids[ids.length - 1]!;
      ids.pop();
      yield make.free(id);
    } else if (ids.length > 0) {
      const k = Math.floor(rnd() * ids.length);
      const to = `b${next++}`;
      const from = ids[k]!;
      ids[k] = to;
      yield make.realloc(from, 1 + Math.floor(rnd() * 4), to);
    } else {
      i--;
    }
  }
}

/** Yields JSON command objects. */
export function generateCommands(count: number, live: number, seed = 42): Generator<object> {
  return generate(count, live, seed, AS_OBJECT);
}

/**
 * Yields the same trace as generateCommands, each command as its JSONL line (no line end):
 * byte for byte `JSON.stringify` of the object generateCommands yields, built without it.
 */
export function traceLines(count: number, live: number, seed = 42): Generator<string> {
  return generate(count, live, seed, AS_LINE);
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

/** What streamTrace wrote. */
export interface StreamedTrace {
  /** Commands written (lines). */
  readonly commands: number;
  /** Bytes written. */
  readonly bytes: number;
}

/**
 * Writes the same bytes as writeTrace, for traces of any length: each line (all ASCII, built
 * without `JSON.stringify`) goes straight into one of two 4 MiB buffers; while one buffer is
 * being written to the file the other fills, and a full buffer waits for the write before it
 * (backpressure). Memory holds the generator's live ids and the two buffers, never the trace.
 * Calls `onProgress(commands, bytes)` after each buffer is handed to the file.
 */
export async function streamTrace(
  file: string,
  count: number,
  live: number,
  seed = 42,
  onProgress?: (commands: number, bytes: number) => void,
): Promise<StreamedTrace> {
  const SIZE = 4 << 20;
  const MAX_LINE = 256; // longer than any generated line
  const out = await open(file, 'w');
  try {
    const buffers = [Buffer.allocUnsafe(SIZE), Buffer.allocUnsafe(SIZE)] as const;
    let which = 0;
    let buf = buffers[0];
    let pos = 0;
    let inFlight: Promise<unknown> = Promise.resolve();
    let commands = 0;
    let bytes = 0;
    const flush = async (): Promise<void> => {
      await inFlight;
      inFlight = out.write(buf, 0, pos);
      bytes += pos;
      onProgress?.(commands, bytes);
      which = 1 - which;
      buf = buffers[which]!;
      pos = 0;
    };
    for (const line of traceLines(count, live, seed)) {
      pos += buf.write(line, pos, 'latin1');
      buf[pos++] = 10;
      commands++;
      if (pos > SIZE - MAX_LINE) await flush();
    }
    if (pos > 0) await flush();
    await inFlight;
    return { commands, bytes };
  } finally {
    await out.close();
  }
}
