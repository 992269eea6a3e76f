import { lastValueFrom, tap } from 'rxjs';
import { Engine, initialState, policyAfter, withPolicy, type Fact, type HeapState, type Peak } from '@lmm/core';
import { factsOf, type RunBatch } from '@lmm/events';
import { Checkpoints } from './checkpoints.js';
import type { LogHeader, ReadFactLogOptions } from '../formats/factLog.js';
import { openFactLog } from '../formats/openFactLog.js';
import { FactStore } from '../log/factStore.js';
import { foldFactLog } from '../log/foldFactLog.js';

/** Commands between checkpoints to begin with, by default. */
export const DEFAULT_CHECKPOINT_EVERY = 1024;
/** Checkpoints kept at most, by default: past that, the interval doubles (a 1M-command log: every 4096). */
export const DEFAULT_MAX_CHECKPOINTS = 256;

/** Options of `ReplayLog.load`. */
export interface LoadReplayOptions extends ReadFactLogOptions {
  /**
   * Commands between kept states to begin with (default `DEFAULT_CHECKPOINT_EVERY`): a seek
   * folds fewer than this many commands. More often = faster seeks, more memory.
   */
  readonly checkpointEvery?: number;
  /** At most this many kept states (default `DEFAULT_MAX_CHECKPOINTS`); when exceeded, every other one goes and the interval doubles. */
  readonly maxCheckpoints?: number;
  /** Told what every batch of commands did while loading, with a read-only view of the state after its last command (valid during the call only). */
  readonly onBatch?: (batch: RunBatch) => void;
}

/** Where a replay's memory goes, in bytes (estimates for the parts that are not typed arrays). */
export interface ReplayMemory {
  /** The facts, compactly encoded. */
  readonly factBytes: number;
  /** The per-command live bytes and page counts. */
  readonly seriesBytes: number;
  /** States kept. */
  readonly checkpoints: number;
  /** Commands between them (after any doubling). */
  readonly checkpointEvery: number;
}

/**
 * A fact log loaded for replay: its facts kept compactly (`FactStore`), folded once (so a log
 * that does not fold is refused at load with its file and line), with the state kept every so
 * many commands (`Checkpoints`). `seek(cmd)` is then the state after any command: the nearest
 * checkpoint at or before it plus a fold of the commands in between (fewer than the interval),
 * or of fewer still when moving forward from the last seek.
 */
export class ReplayLog {
  private cursor: { cmd: number; engine: Engine } | undefined;

  private constructor(
    /** The log's header: layout, policy, page limit. */
    readonly header: LogHeader,
    /** The file as named in messages. */
    readonly file: string,
    private readonly store: FactStore,
    private readonly checkpoints: Checkpoints,
    private readonly live: Float64Array,
    private readonly pages: Float64Array,
  ) {}

  /** Reads, checks and folds a fact log (through `foldFactLog`). Bad input is an InputError naming file and line. */
  static async load(path: string, options: LoadReplayOptions = {}): Promise<ReplayLog> {
    const file = options.displayName ?? path;
    const checkpoints = new Checkpoints(options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY, options.maxCheckpoints ?? DEFAULT_MAX_CHECKPOINTS);
    const store = new FactStore();
    let live: Float64Array = new Float64Array(1 << 12);
    let pages: Float64Array = new Float64Array(1 << 12);
    const { header, batches } = await openFactLog(path, options);
    checkpoints.add(0, withPolicy(initialState({ layout: header.layout, policy: header.policy, maxPages: header.maxPages }), policyAfter(header.policy, header.switch, 0)));
    let commands = 0;
    await lastValueFrom(
      batches.pipe(
        foldFactLog(header, file, { cutAt: (cmd) => checkpoints.due(cmd) }),
        tap((b) => {
          for (let i = 0; i < b.count; i++) {
            const cmd = b.first + i;
            store.addCommand(factsOf(b, i));
            if (cmd >= live.length) {
              live = growF64(live);
              pages = growF64(pages);
            }
            live[cmd] = b.liveBytes[i]!;
            pages[cmd] = b.pages[i]!;
          }
          commands = b.first + b.count - 1;
          if (checkpoints.due(commands)) checkpoints.add(commands, b.snapshot());
          options.onBatch?.(b);
        }),
      ),
      { defaultValue: undefined },
    );
    store.seal();
    const n = commands + 1;
    return new ReplayLog(header, file, store, checkpoints, live.slice(0, n), pages.slice(0, n));
  }

  /** Commands in the log. Valid command numbers for `seek` are 0…commands. */
  get commands(): number {
    return this.store.commandCount;
  }

  /** Facts in the log. */
  get facts(): number {
    return this.store.factCount;
  }

  /**
   * The state after command `cmd` (0 = the empty heap before any command, `commands` = the
   * end). Throws a RangeError for anything else: a point outside the log is the caller's
   * mistake, not a state. Immutable; shares structure with the states around it: with the
   * checkpoint it was folded from, and — when seeks move forward (seek(a), then seek(b) with
   * a < b, no checkpoint in between skipped) — with the earlier result too, which is what
   * makes `diffStates` of the two cost only what differs.
   */
  seek(cmd: number): HeapState {
    this.checkCmd(cmd);
    const cp = this.checkpoints.atOrBefore(cmd);
    if (cmd === cp.cmd) return cp.state;
    let cur = this.cursor;
    if (cur === undefined || cur.cmd > cmd || cur.cmd < cp.cmd) {
      cur = { cmd: cp.cmd, engine: new Engine(cp.state) };
      this.cursor = cur;
    }
    const engine = cur.engine;
    const change = this.header.switch;
    if (change !== undefined && cur.cmd < change.cmd && change.cmd <= cmd) {
      // A what-if branch: the commands after the switch fold under its policy.
      this.store.forEachFact(cur.cmd + 1, change.cmd, (f) => engine.apply(f));
      engine.setPolicy(change.policy);
      this.store.forEachFact(change.cmd + 1, cmd, (f) => engine.apply(f));
    } else {
      this.store.forEachFact(cur.cmd + 1, cmd, (f) => engine.apply(f));
    }
    cur.cmd = cmd;
    return engine.snapshot();
  }

  /** The facts command `cmd` (1…commands) produced, as fresh objects without `seq`/`cmd`. */
  factsOf(cmd: number): Fact[] {
    this.checkCmd(cmd);
    return this.store.factsOf(cmd);
  }

  /** Calls `visit` with every fact of commands `from`…`to` in log order (without `seq`/`cmd`; `cmd` is passed). */
  forEachFact(from: number, to: number, visit: (fact: Fact, cmd: number) => void): void {
    this.store.forEachFact(from, to, visit);
  }

  /** Bytes allocated (Σ size of allocated blocks) after command `cmd`. */
  liveBytesAt(cmd: number): number {
    this.checkCmd(cmd);
    return this.live[cmd]!;
  }

  /** Pages in use after command `cmd`. */
  pagesAt(cmd: number): number {
    this.checkCmd(cmd);
    return this.pages[cmd]!;
  }

  /** The peak (SPEC §3) over commands 1…`cmd`, as `lmm run` reports it at the end. O(cmd). */
  peakAt(cmd: number): Peak {
    this.checkCmd(cmd);
    const { pageSize } = this.header.layout;
    let live = 0;
    let pages = 0;
    for (let c = 1; c <= cmd; c++) {
      if (this.live[c]! > live) live = this.live[c]!;
      if (this.pages[c]! > pages) pages = this.pages[c]!;
    }
    const heapBytes = pages * pageSize;
    return { liveBytes: live, heapBytes, utilization: heapBytes === 0 ? 0 : live / heapBytes };
  }

  /** Where the replay's memory goes (the checkpoints' share is measured by the bench, not here). */
  memory(): ReplayMemory {
    return {
      factBytes: this.store.approxBytes,
      seriesBytes: this.live.byteLength + this.pages.byteLength,
      checkpoints: this.checkpoints.count,
      checkpointEvery: this.checkpoints.every,
    };
  }

  private checkCmd(cmd: number): void {
    if (!Number.isInteger(cmd) || cmd < 0 || cmd > this.commands) {
      throw new RangeError(`command ${cmd} is outside the log ${this.file} (0…${this.commands})`);
    }
  }
}

function growF64(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}
