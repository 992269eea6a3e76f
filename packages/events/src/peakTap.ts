import type { Observer } from 'rxjs';
import type { RunBatch } from './batch.js';

/** A run's peaks (SPEC §3, taken after every command) and the first command each was reached at (SPEC §5 `--at peak-live|peak-heap`). */
export interface RunPeak {
  /** The largest Σ size of allocated blocks after any command, in bytes. */
  readonly liveBytes: number;
  /** The largest heap (pages in use × pageSize) after any command, in bytes. */
  readonly heapBytes: number;
  /** The largest number of pages in use after any command. */
  readonly pages: number;
  /** liveBytes / heapBytes (malloc-lab's peak utilization); 0 before any page. */
  readonly utilization: number;
  /** The first command after which `liveBytes` was reached (0 when the run never allocated). */
  readonly liveCmd: number;
  /** The first command after which `heapBytes` (and `pages`) was reached (0 when no page was ever requested). */
  readonly heapCmd: number;
}

/**
 * A tap (`tap(peaks)`) that follows a run's peaks batch by batch, O(1) per command; read
 * `peak` once the stream has completed, or at any time for the peak so far.
 */
export class PeakTap implements Partial<Observer<RunBatch>> {
  private live = 0;
  private pagesMax = 0;
  private liveCmd = 0;
  private heapCmd = 0;

  /** `pageSize`: bytes per page, to turn pages into heap bytes. */
  constructor(private readonly pageSize: number) {}

  next(batch: RunBatch): void {
    const { liveBytes, pages } = batch;
    for (let i = 0; i < batch.count; i++) {
      if (liveBytes[i]! > this.live) {
        this.live = liveBytes[i]!;
        this.liveCmd = batch.first + i;
      }
      if (pages[i]! > this.pagesMax) {
        this.pagesMax = pages[i]!;
        this.heapCmd = batch.first + i;
      }
    }
  }

  /** The peaks over the commands seen so far. */
  get peak(): RunPeak {
    const heapBytes = this.pagesMax * this.pageSize;
    return { liveBytes: this.live, heapBytes, pages: this.pagesMax, utilization: heapBytes === 0 ? 0 : this.live / heapBytes, liveCmd: this.liveCmd, heapCmd: this.heapCmd };
  }
}
