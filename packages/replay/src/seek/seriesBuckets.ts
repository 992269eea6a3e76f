/**
 * A run's live bytes and pages in use after each command, downsampled for charts: the
 * commands are cut into buckets of `bucket` commands (bucket b holds commands
 * b·bucket + 1 … (b + 1)·bucket) and each bucket keeps the min and max of both, so no peak is
 * lost however far a chart zooms out. Built in one pass with bounded memory: when `max`
 * buckets are full, neighbours merge pairwise and the bucket doubles.
 */
export class SeriesBuckets {
  /** Buckets kept at most, by default: enough for a chart a few thousand pixels wide. */
  static readonly MAX = 4096;
  private data: Float64Array;
  private count = 0;
  /** Commands in the last bucket so far. */
  private filled = 0;
  private size = 1;

  constructor(private readonly max = SeriesBuckets.MAX) {
    if (!Number.isInteger(max) || max < 2 || max % 2 !== 0) throw new RangeError(`series buckets ${max}: an even number ≥ 2`);
    this.data = new Float64Array(4 * max);
  }

  /** Commands per bucket now. */
  get bucket(): number {
    return this.size;
  }

  /** Adds the next command's figures. */
  add(liveBytes: number, pages: number): void {
    const d = this.data;
    if (this.count > 0 && this.filled < this.size) {
      const i = 4 * (this.count - 1);
      if (liveBytes < d[i]!) d[i] = liveBytes;
      if (liveBytes > d[i + 1]!) d[i + 1] = liveBytes;
      if (pages < d[i + 2]!) d[i + 2] = pages;
      if (pages > d[i + 3]!) d[i + 3] = pages;
      this.filled++;
      return;
    }
    if (this.count === this.max) this.halve();
    const i = 4 * this.count++;
    d[i] = liveBytes;
    d[i + 1] = liveBytes;
    d[i + 2] = pages;
    d[i + 3] = pages;
    this.filled = 1;
  }

  /** Merges neighbouring buckets pairwise: the bucket doubles (every bucket is full when this is called). */
  private halve(): void {
    const d = this.data;
    for (let k = 0; k < this.count / 2; k++) {
      const a = 8 * k;
      d[4 * k] = Math.min(d[a]!, d[a + 4]!);
      d[4 * k + 1] = Math.max(d[a + 1]!, d[a + 5]!);
      d[4 * k + 2] = Math.min(d[a + 2]!, d[a + 6]!);
      d[4 * k + 3] = Math.max(d[a + 3]!, d[a + 7]!);
    }
    this.count /= 2;
    this.size *= 2;
    this.filled = this.size;
  }

  /** The buckets so far: min live, max live, min pages, max pages for each (a copy). */
  values(): Float64Array {
    return this.data.slice(0, 4 * this.count);
  }
}
