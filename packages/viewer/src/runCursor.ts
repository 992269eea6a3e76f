import type { RunFacts } from './factCodec';
import { HeapModel, type ModelSnapshot } from './heapModel';

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
}

/**
 * Moves a HeapModel to any command of its run. Folding forward drops a checkpoint (a packed
 * snapshot) every few thousand facts the first time it passes there; seeking backward
 * restores the nearest checkpoint at or before the target and folds forward from it. So
 * any seek costs at most one restore (O(blocks)) plus one interval of facts.
 */
export class RunCursor {
  /** The model, standing after command `position` after every `seek`. */
  readonly model: HeapModel;
  private readonly checkpoints: Checkpoint[] = [];
  /** The furthest command ever folded to; checkpoints exist up to it. */
  private frontier = 0;
  private readonly minInterval: number;
  private readonly blocksFactor: number;
  private blocks = 0;
  /** The command the model stands after (as asked: a command without facts counts). */
  position = 0;
  /** Counters for tests and benchmarks: restores done, facts folded. */
  readonly work = { restores: 0, folded: 0 };

  constructor(readonly run: RunFacts, options: RunCursorOptions = {}) {
    this.model = new HeapModel(run);
    this.minInterval = options.minInterval ?? 4096;
    this.blocksFactor = options.blocksFactor ?? 1;
    this.checkpoints.push({ cmd: 0, snap: this.model.snapshot() });
  }

  /** Number of checkpoints held. */
  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  /** Puts the model at the state after command `cmd` (clamped to 0…commands). */
  seek(cmd: number): void {
    const target = Math.max(0, Math.min(Math.floor(cmd), this.run.commands));
    const end = this.run.firstFact[target + 1]!;
    const model = this.model;
    if (model.facts !== end) {
      const cp = this.checkpointAtOrBefore(target);
      if (model.facts > end || model.facts < cp.snap.facts) {
        model.restore(cp.snap);
        this.work.restores++;
      }
      this.foldUntil(end);
    }
    this.position = target;
  }

  private foldUntil(end: number): void {
    const model = this.model;
    const run = this.run;
    while (model.facts < end) {
      model.applyNext();
      this.work.folded++;
      const f = model.facts;
      // At a command boundary past the frontier: maybe drop a checkpoint.
      if (f === run.count || run.cmd[f] !== run.cmd[f - 1]) {
        const cmd = run.cmd[f - 1]!;
        if (cmd > this.frontier) {
          this.frontier = cmd;
          const last = this.checkpoints[this.checkpoints.length - 1]!;
          if (f - last.snap.facts >= Math.max(this.minInterval, this.blocks * this.blocksFactor)) {
            const snap = model.snapshot();
            this.blocks = snap.blocks.length / 5;
            this.checkpoints.push({ cmd, snap });
          }
        }
      }
    }
  }

  private checkpointAtOrBefore(cmd: number): Checkpoint {
    const cps = this.checkpoints;
    let lo = 0;
    let hi = cps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cps[mid]!.cmd <= cmd) lo = mid;
      else hi = mid - 1;
    }
    return cps[lo]!;
  }
}
