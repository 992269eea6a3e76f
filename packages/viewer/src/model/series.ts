/**
 * The per-command series the page charts (heap bytes, live bytes, utilization) and marks on
 * its timeline (page requests, page releases, rejections, avoidable growth), reduced to at most a few thousand
 * buckets so a million-command run still makes a small page. Bucket b covers commands
 * `bucketStart(b) … bucketStart(b + 1) − 1` (1-based commands); with few commands each
 * bucket is one command, exactly.
 */

/** A peak and the first command that reached it. */
export interface PeakAt {
  readonly cmd: number;
  readonly bytes: number;
}

/** The bucketed series of one run. Arrays have one entry per bucket. */
export interface RunSeries {
  readonly commands: number;
  readonly buckets: number;
  /** Largest and smallest heap bytes (pages × pageSize) after the bucket's commands. */
  readonly heapMax: number[];
  readonly heapMin: number[];
  /** Largest and smallest live bytes (Σ size of allocated blocks). */
  readonly liveMax: number[];
  readonly liveMin: number[];
  /** Largest and smallest utilization (live / heap; 0 with no page). */
  readonly utilMax: number[];
  readonly utilMin: number[];
  /** Count of PageRequest, PageRelease and Rejected facts in the bucket. */
  readonly requests: number[];
  readonly releases: number[];
  readonly rejections: number[];
  /** Count of page requests in the bucket that were avoidable growth (SPEC §3 `avoidableGrowth`). */
  readonly avoidable: number[];
  /** The commands (ascending) whose page request was avoidable growth: the timeline's ▲ marks, exactly. */
  readonly avoidableAt: number[];
  readonly peakHeap: PeakAt;
  readonly peakLive: PeakAt;
  /** peakLive.bytes / peakHeap.bytes (the malloc-lab measure); 0 before any page. */
  readonly peakUtilization: number;
}

/** The default bucket count: about one per pixel of a wide chart. */
export const DEFAULT_BUCKETS = 2000;

/** The first command (1-based) of bucket `b` of `buckets` over `commands` commands. */
export function bucketStart(b: number, buckets: number, commands: number): number {
  return Math.floor((b * commands) / buckets) + 1;
}

/** The bucket that holds command `cmd` (1…commands). */
export function bucketOf(cmd: number, buckets: number, commands: number): number {
  // The largest b with bucketStart(b) ≤ cmd.
  let b = Math.min(buckets - 1, Math.floor(((cmd - 1) * buckets) / commands));
  while (b > 0 && bucketStart(b, buckets, commands) > cmd) b--;
  while (b + 1 < buckets && bucketStart(b + 1, buckets, commands) <= cmd) b++;
  return b;
}

class Column<T extends Float64Array | Uint16Array> {
  data: T;
  constructor(private readonly make: (n: number) => T) {
    this.data = make(1024);
  }
  set(i: number, v: number): void {
    if (i >= this.data.length) {
      const next = this.make(Math.max(this.data.length * 2, i + 1));
      next.set(this.data);
      this.data = next;
    }
    this.data[i] = v;
  }
  add(i: number, v: number): void {
    this.set(i, (i < this.data.length ? this.data[i]! : 0) + v);
  }
}

/** Collects one run's values command by command, then buckets them. */
export class SeriesBuilder {
  private readonly heap = new Column((n) => new Float64Array(n));
  private readonly live = new Column((n) => new Float64Array(n));
  private readonly req = new Column((n) => new Uint16Array(n));
  private readonly rel = new Column((n) => new Uint16Array(n));
  private readonly rej = new Column((n) => new Uint16Array(n));
  private readonly avo = new Column((n) => new Uint16Array(n));
  private readonly avoidableAt: number[] = [];
  private commands = 0;
  private peakHeap: PeakAt = { cmd: 0, bytes: 0 };
  private peakLive: PeakAt = { cmd: 0, bytes: 0 };

  /** Records the heap and live bytes after command `cmd` (1-based, increasing; skipped commands repeat the last values). */
  record(cmd: number, heapBytes: number, liveBytes: number): void {
    for (let c = this.commands + 1; c < cmd; c++) {
      this.heap.set(c, this.heap.data[this.commands] ?? 0);
      this.live.set(c, this.live.data[this.commands] ?? 0);
    }
    this.heap.set(cmd, heapBytes);
    this.live.set(cmd, liveBytes);
    this.commands = cmd;
    if (heapBytes > this.peakHeap.bytes) this.peakHeap = { cmd, bytes: heapBytes };
    if (liveBytes > this.peakLive.bytes) this.peakLive = { cmd, bytes: liveBytes };
  }

  /** Counts a timeline event of command `cmd` (`Avoidable`: a page request that was avoidable growth). */
  event(cmd: number, type: 'PageRequest' | 'PageRelease' | 'Rejected' | 'Avoidable'): void {
    if (type === 'Avoidable') this.avoidableAt.push(cmd);
    const col = type === 'PageRequest' ? this.req : type === 'PageRelease' ? this.rel : type === 'Rejected' ? this.rej : this.avo;
    col.add(cmd, 1);
  }

  /** The series in at most `maxBuckets` buckets. */
  finish(maxBuckets = DEFAULT_BUCKETS): RunSeries {
    const n = this.commands;
    const buckets = Math.min(n, maxBuckets);
    const s = {
      commands: n,
      buckets,
      heapMax: new Array<number>(buckets).fill(0),
      heapMin: new Array<number>(buckets).fill(Infinity),
      liveMax: new Array<number>(buckets).fill(0),
      liveMin: new Array<number>(buckets).fill(Infinity),
      utilMax: new Array<number>(buckets).fill(0),
      utilMin: new Array<number>(buckets).fill(Infinity),
      requests: new Array<number>(buckets).fill(0),
      releases: new Array<number>(buckets).fill(0),
      rejections: new Array<number>(buckets).fill(0),
      avoidable: new Array<number>(buckets).fill(0),
      avoidableAt: this.avoidableAt.slice(),
      peakHeap: this.peakHeap,
      peakLive: this.peakLive,
      peakUtilization: this.peakHeap.bytes === 0 ? 0 : this.peakLive.bytes / this.peakHeap.bytes,
    };
    let b = 0;
    let next = buckets > 1 ? bucketStart(1, buckets, n) : Infinity;
    for (let c = 1; c <= n; c++) {
      while (c >= next) next = ++b + 1 < buckets ? bucketStart(b + 1, buckets, n) : Infinity;
      const heap = this.heap.data[c]!;
      const live = this.live.data[c]!;
      const util = heap === 0 ? 0 : live / heap;
      s.heapMax[b] = Math.max(s.heapMax[b]!, heap);
      s.heapMin[b] = Math.min(s.heapMin[b]!, heap);
      s.liveMax[b] = Math.max(s.liveMax[b]!, live);
      s.liveMin[b] = Math.min(s.liveMin[b]!, live);
      s.utilMax[b] = Math.max(s.utilMax[b]!, util);
      s.utilMin[b] = Math.min(s.utilMin[b]!, util);
      s.requests[b] = s.requests[b]! + (this.req.data[c] ?? 0);
      s.releases[b] = s.releases[b]! + (this.rel.data[c] ?? 0);
      s.rejections[b] = s.rejections[b]! + (this.rej.data[c] ?? 0);
      s.avoidable[b] = s.avoidable[b]! + (this.avo.data[c] ?? 0);
    }
    return s;
  }
}
