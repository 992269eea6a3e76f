import { familySums, statsFromSums, type Fact, type FamilyState, type HeapState, type Layout, type Stats, type StatSums } from '@lmm/core';

/** The sums of one family that the totals add up. */
type Sums = Omit<StatSums, 'largestFree'>;

const ZERO: Sums = { pages: 0, tbc: 0, fbc: 0, liveBytes: 0, freeBytes: 0, hardFragBytes: 0, softFragBytes: 0, pageRequests: 0, avoidableGrowth: 0 };

/**
 * The total statistics of a run's states (SPEC §3), kept up to date command by command in
 * O(log F) per family the command changed (F: families registered) instead of a pass over
 * every family: `lmm stats --csv --every 1` over a log of C commands costs O(C log F), not
 * O(C × F). Each family's sums are remembered; a command's facts name the families it
 * changed, and only theirs are taken again. The largest free block over all families is the
 * root of a max tree over the families' largest free blocks.
 *
 * Feed it every command from the first, in order (`update`, with the state after the
 * command, or after a batch of commands with all their facts); `stats` is then what
 * `statsOf(state).total` gives.
 */
export class RunningTotals {
  private readonly sums: Sums[] = [];
  private total: Sums = ZERO;
  private readonly largest = new MaxTree();

  constructor(private readonly layout: Layout) {}

  /** Takes the state after a command (or a batch of commands) and the facts it produced. */
  update(facts: readonly Fact[], state: HeapState): void {
    let last: string | undefined;
    for (const f of facts) {
      if (f.type === 'Rejected' || f.family === last) continue;
      last = f.family;
      const fam = state.familyNamed(f.family);
      if (fam !== undefined) this.refresh(fam);
    }
  }

  /** The total statistics of the state last given to `update` (of the initial state before any). */
  get stats(): Stats {
    const { pageSize, metaSize } = this.layout;
    return statsFromSums([{ name: '', size: 0, ...this.total, largestFree: this.largest.max }], pageSize, metaSize).total;
  }

  private refresh(fam: FamilyState): void {
    const now = familySums(fam);
    const before = this.sums[fam.index] ?? ZERO;
    this.sums[fam.index] = now;
    const t = this.total;
    this.total = {
      pages: t.pages + now.pages - before.pages,
      tbc: t.tbc + now.tbc - before.tbc,
      fbc: t.fbc + now.fbc - before.fbc,
      liveBytes: t.liveBytes + now.liveBytes - before.liveBytes,
      freeBytes: t.freeBytes + now.freeBytes - before.freeBytes,
      hardFragBytes: t.hardFragBytes + now.hardFragBytes - before.hardFragBytes,
      softFragBytes: t.softFragBytes + now.softFragBytes - before.softFragBytes,
      pageRequests: t.pageRequests + now.pageRequests - before.pageRequests,
      avoidableGrowth: t.avoidableGrowth + now.avoidableGrowth - before.avoidableGrowth,
    };
    this.largest.set(fam.index, now.largestFree);
  }
}

/** Values ≥ 0 by index (0 when never set), with their maximum; O(log n) per `set`. */
class MaxTree {
  /** `tree[size + i]` is value i; `tree[k]` the max of `tree[2k]` and `tree[2k + 1]`. */
  private tree = new Float64Array(2);
  private size = 1;

  /** The largest value, 0 when none. */
  get max(): number {
    return this.tree[1]!;
  }

  set(i: number, value: number): void {
    if (i >= this.size) this.grow(i);
    const t = this.tree;
    let k = i + this.size;
    t[k] = value;
    for (k >>= 1; k >= 1; k >>= 1) t[k] = Math.max(t[2 * k]!, t[2 * k + 1]!);
  }

  private grow(i: number): void {
    let size = this.size;
    while (size <= i) size *= 2;
    const t = new Float64Array(2 * size);
    t.set(this.tree.subarray(this.size, 2 * this.size), size);
    for (let k = size - 1; k >= 1; k--) t[k] = Math.max(t[2 * k]!, t[2 * k + 1]!);
    this.tree = t;
    this.size = size;
  }
}
