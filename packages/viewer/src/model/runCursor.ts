import type { RunFacts } from './runFacts.js';
import { HeapModel, type ModelSnapshot } from './heapModel.js';

/** A checkpoint: the model's snapshot after command `cmd`. */
interface Checkpoint {
  readonly cmd: number;
  readonly snap: ModelSnapshot;
}

/** Tuning of a RunCursor. */
export interface RunCursorOptions {
  /** Fewest facts between two checkpoints (default 4096). */
  readonly minInterval?: number;
  /** Checkpoints are also at least this many times the heap's block count apart, bounding their memory (default 1). */
  readonly blocksFactor?: number;
  /** Commands `buildAhead` folds between looks at the clock (default 2048). */
  readonly chunkCommands?: number;
}

/**
 * Moves a HeapModel to any command of its run. Folding forward drops a checkpoint (a packed
 * snapshot) every few thousand facts the first time it passes there; seeking backward
 * restores the nearest checkpoint at or before the target and folds forward from it. So
 * once the checkpoints reach a command, a seek there costs at most one restore (O(blocks))
 * plus one interval of facts. `pin` adds a snapshot known from elsewhere (the last state,
 * computed when the page was written) so the end shows at once; `buildAhead` lays the
 * checkpoints in the background, a slice at a time.
 */
export class RunCursor {
  /** The model, standing after command `position` after every `seek`. */
  readonly model: HeapModel;
  /** A second model that lays checkpoints ahead in the background. */
  private builder: HeapModel | undefined;
  /** Checkpoints by command, ascending. */
  private readonly checkpoints: Checkpoint[] = [];
  /** Checkpoints are dense (no gap above the interval) from command 0 up to here. */
  private frontier = 0;
  private readonly minInterval: number;
  private readonly blocksFactor: number;
  private readonly chunkCommands: number;
  private blocks = 0;
  /** The command the model stands after (as asked: a command without facts counts). */
  position = 0;
  /** Counters for tests and benchmarks: restores done, facts folded (by seeks; the builder's not counted). */
  readonly work = { restores: 0, folded: 0 };

  constructor(
    readonly run: RunFacts,
    options: RunCursorOptions = {},
  ) {
    this.model = new HeapModel(run);
    this.minInterval = options.minInterval ?? 4096;
    this.blocksFactor = options.blocksFactor ?? 1;
    this.chunkCommands = options.chunkCommands ?? 2048;
    this.checkpoints.push({ cmd: 0, snap: this.model.snapshot() });
  }

  /** Number of checkpoints held. */
  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  /** The command up to which checkpoints are laid. */
  get covered(): number {
    return Math.min(this.frontier, this.run.commands);
  }

  /** True when checkpoints cover the whole run (every seek is then cheap). */
  get complete(): boolean {
    return this.frontier >= this.run.commands;
  }

  /** Adds a snapshot of the state after command `cmd` taken elsewhere from the same run (e.g. the last state, by `lmm view`). */
  pin(cmd: number, snap: ModelSnapshot): void {
    if (snap.facts !== this.run.firstFact[Math.min(cmd, this.run.commands) + 1]) throw new RangeError(`a snapshot of ${snap.facts} facts is not the state after command ${cmd}`);
    const at = this.indexAtOrBefore(cmd);
    if (this.checkpoints[at]!.cmd === cmd) return;
    this.checkpoints.splice(at + 1, 0, { cmd, snap });
  }

  /** Puts the model at the state after command `cmd` (clamped to 0…commands). */
  seek(cmd: number): void {
    const target = Math.max(0, Math.min(Math.floor(cmd), this.run.commands));
    const end = this.run.firstFact[target + 1]!;
    const model = this.model;
    if (model.facts !== end) {
      const cp = this.checkpoints[this.indexAtOrBefore(target)]!;
      if (model.facts > end || model.facts < cp.snap.facts) {
        model.restore(cp.snap);
        this.work.restores++;
      }
      this.work.folded += this.foldUntil(model, end);
    }
    this.position = target;
  }

  /**
   * Lays checkpoints past the frontier for about `budgetMs` milliseconds (at least one chunk
   * of commands) with the builder model; the shown state is untouched. Returns true when the
   * whole run is covered.
   */
  buildAhead(budgetMs: number): boolean {
    if (this.complete) return true;
    const builder = (this.builder ??= new HeapModel(this.run));
    // Start from the last dense checkpoint unless the builder is already between it and the frontier.
    const from = this.checkpoints[this.indexAtOrBefore(this.frontier)]!;
    if (builder.facts < from.snap.facts || builder.cmd > this.frontier) builder.restore(from.snap);
    const stop = performance.now() + budgetMs;
    do {
      const end = this.run.firstFact[Math.min(this.run.commands, builder.cmd + this.chunkCommands) + 1]!;
      this.foldUntil(builder, end);
    } while (!this.complete && performance.now() < stop);
    return this.complete;
  }

  /**
   * Folds `model` up to `end` facts; returns the facts folded. A model that started inside
   * the dense stretch (at or before the frontier) carries the frontier along and drops a
   * checkpoint every interval; one restored from a pinned snapshot beyond it does not.
   */
  private foldUntil(model: HeapModel, end: number): number {
    const run = this.run;
    const start = model.facts;
    const attached = model.cmd <= this.frontier;
    while (model.facts < end) {
      model.applyNext();
      const f = model.facts;
      if (!attached || !(f === run.count || run.cmd[f] !== run.cmd[f - 1])) continue;
      // A command boundary: past the frontier, the frontier moves here.
      const cmd = run.cmd[f - 1]!;
      if (cmd <= this.frontier) continue;
      const at = this.indexAtOrBefore(this.frontier);
      const prev = this.checkpoints[at]!;
      this.frontier = cmd;
      if (this.checkpoints[at + 1]?.cmd !== cmd && f - prev.snap.facts >= Math.max(this.minInterval, this.blocks * this.blocksFactor)) {
        const snap = model.snapshot();
        this.blocks = snap.blocks.length / 5;
        this.checkpoints.splice(at + 1, 0, { cmd, snap });
      }
    }
    return model.facts - start;
  }

  /** Index of the checkpoint with the largest command ≤ cmd. */
  private indexAtOrBefore(cmd: number): number {
    const cps = this.checkpoints;
    let lo = 0;
    let hi = cps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cps[mid]!.cmd <= cmd) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
