/**
 * Live and heap bytes after every command of a run, kept in at most `2 × half` buckets of a
 * power-of-two number of commands each, with the smallest and largest value of each bucket:
 * a chart drawn from it loses no peak and no trough, however long the run. Streaming: when
 * the buckets are full, neighbours merge pairwise and the width doubles. Deterministic: the
 * same values give the same buckets.
 */
export class MinMaxSeries {
  /** Commands per bucket (a power of two). */
  private width = 1;
  private count = 0;
  private readonly liveMin: number[] = [];
  private readonly liveMax: number[] = [];
  private readonly heapMin: number[] = [];
  private readonly heapMax: number[] = [];

  constructor(private readonly half = 500) {}

  /** Takes the live and heap bytes after the next command. */
  add(live: number, heap: number): void {
    const b = Math.floor(this.count / this.width);
    if (b === 2 * this.half) {
      this.merge();
      return this.add(live, heap);
    }
    this.count++;
    if (b === this.liveMin.length) {
      this.liveMin.push(live);
      this.liveMax.push(live);
      this.heapMin.push(heap);
      this.heapMax.push(heap);
      return;
    }
    if (live < this.liveMin[b]!) this.liveMin[b] = live;
    if (live > this.liveMax[b]!) this.liveMax[b] = live;
    if (heap < this.heapMin[b]!) this.heapMin[b] = heap;
    if (heap > this.heapMax[b]!) this.heapMax[b] = heap;
  }

  private merge(): void {
    for (const [a, pick] of [
      [this.liveMin, Math.min],
      [this.liveMax, Math.max],
      [this.heapMin, Math.min],
      [this.heapMax, Math.max],
    ] as const) {
      for (let i = 0; i < this.half; i++) a[i] = pick(a[2 * i]!, a[2 * i + 1]!);
      a.length = this.half;
    }
    this.width *= 2;
  }

  /** The buckets: bucket i covers commands `i·width + 1 … min((i+1)·width, commands)`. */
  finish(): SeriesBuckets {
    return { commands: this.count, width: this.width, liveMin: [...this.liveMin], liveMax: [...this.liveMax], heapMin: [...this.heapMin], heapMax: [...this.heapMax] };
  }
}

/** A run's live and heap bytes in buckets of `width` commands: min and max per bucket. */
export interface SeriesBuckets {
  readonly commands: number;
  readonly width: number;
  readonly liveMin: readonly number[];
  readonly liveMax: readonly number[];
  readonly heapMin: readonly number[];
  readonly heapMax: readonly number[];
}
