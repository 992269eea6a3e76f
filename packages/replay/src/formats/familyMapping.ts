import { maxAlloc, type Command, type Layout } from '@lmm/core';
import type { TraceCommand } from './commandTrace.js';

/** How size-only traces map requests to families (SPEC §4). */
export type FamilyMapping = 'single' | 'pow2' | 'exact';

/** A family the mapper has registered. */
interface MappedFamily {
  readonly name: string;
  /** Struct size in bytes. */
  readonly size: number;
}

/** The smallest `pow2` class, in bytes. */
const SMALLEST_CLASS = 8;
/** The largest `pow2` class SPEC §4 names, in bytes. */
const LARGEST_CLASS = 2048;

/**
 * Turns the size-only requests of a real-program trace (valgrind, malloc-lab) into lmm
 * commands under a family mapping (SPEC §4). A request of 0 bytes counts as 1.
 *
 * - `single`: family `heap` of size 1, `units = n`, registered by the first command of the
 *   trace whatever that command does (a trace that starts with a free, or has no alloc at
 *   all, still registers it first, so its commands keep their numbers); the reader calls
 *   `end` at the end of the trace for a trace of no request at all.
 * - `pow2`: classes `c8`, `c16`, … up to `c2048`, but only classes that fit one page
 *   (≤ maxAlloc of the layout), so a small custom layout never registers a family it would
 *   reject; a request above the largest class goes to family `large` (size 1, `units = n`).
 * - `exact`: family `s<n>` of size n; n > maxAlloc goes to `large`.
 *
 * Under `pow2` and `exact` each family is registered just before its first use.
 *
 * A realloc to n bytes stays in the block's family with `units = ceil(n / size)`. To know
 * that family, the mapper remembers every id the trace has allocated and not yet freed:
 * memory grows with the live ids, not with the trace. It mirrors the trace, not the
 * engine's decisions: an alloc of an id already live keeps the first family (the engine
 * rejects the second), and a free or realloc of an unknown id is passed on for the engine
 * to reject.
 */
export class FamilyMapper {
  private readonly registered = new Map<string, MappedFamily>();
  private readonly live = new Map<string, MappedFamily>();
  private readonly limit: number;
  private readonly topClass: number;
  /** True once the mapper has made a command (under `single`, the register of `heap` comes first). */
  private started = false;

  constructor(
    readonly mapping: FamilyMapping,
    layout: Layout,
  ) {
    this.limit = maxAlloc(layout);
    let top = 0;
    for (let c = SMALLEST_CLASS; c <= LARGEST_CLASS && c <= this.limit; c *= 2) top = c;
    this.topClass = top;
  }

  /** Ids allocated and not freed so far, as the trace tells it. */
  get liveCount(): number {
    return this.live.size;
  }

  /** Appends the commands for an allocation of `bytes` under `id` (a register first when the family is new). */
  alloc(id: string, bytes: number, line: number, out: TraceCommand[]): void {
    this.start(line, out);
    const n = Math.max(bytes, 1);
    const [family, units] = this.place(n);
    if (!this.registered.has(family.name)) this.register(family, line, out);
    if (!this.live.has(id)) this.live.set(id, family);
    out.push({ command: { op: 'alloc', id, family: family.name, units } satisfies Command, line });
  }

  /** Appends the command for a realloc of `id` to `bytes`, renamed `to` (same id when equal). */
  realloc(id: string, to: string, bytes: number, line: number, out: TraceCommand[]): void {
    this.start(line, out);
    const n = Math.max(bytes, 1);
    const family = this.live.get(id);
    const units = family === undefined ? n : Math.ceil(n / family.size);
    if (family !== undefined && (to === id || !this.live.has(to))) {
      this.live.delete(id);
      this.live.set(to, family);
    }
    out.push({ command: (to === id ? { op: 'realloc', id, units } : { op: 'realloc', id, units, to }) satisfies Command, line });
  }

  /** Appends the command for a free of `id`. */
  free(id: string, line: number, out: TraceCommand[]): void {
    this.start(line, out);
    this.live.delete(id);
    out.push({ command: { op: 'free', id } satisfies Command, line });
  }

  /**
   * Appends what the end of a trace still needs (`line`: the trace's last line): under
   * `single`, the register of `heap` when the trace made no command at all — it is the first
   * command of every trace (SPEC §4). Nothing under `pow2` and `exact`.
   */
  end(line: number, out: TraceCommand[]): void {
    this.start(line, out);
  }

  /** Before the first command: under `single`, the register of `heap`. */
  private start(line: number, out: TraceCommand[]): void {
    if (this.started) return;
    this.started = true;
    if (this.mapping === 'single') this.register(this.family('heap', 1), line, out);
  }

  private register(family: MappedFamily, line: number, out: TraceCommand[]): void {
    this.registered.set(family.name, family);
    out.push({ command: { op: 'register', family: family.name, size: family.size } satisfies Command, line });
  }

  /** The family (registered or not yet) and units for a fresh request of n ≥ 1 bytes. */
  private place(n: number): [MappedFamily, number] {
    switch (this.mapping) {
      case 'single':
        return [this.family('heap', 1), n];
      case 'pow2': {
        if (n > this.topClass) return [this.family('large', 1), n];
        let c = SMALLEST_CLASS;
        while (c < n) c *= 2;
        return [this.family(`c${c}`, c), 1];
      }
      case 'exact':
        return n > this.limit ? [this.family('large', 1), n] : [this.family(`s${n}`, n), 1];
    }
  }

  private family(name: string, size: number): MappedFamily {
    return this.registered.get(name) ?? { name, size };
  }
}
