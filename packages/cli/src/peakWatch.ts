import { NO_PEAK, nextPeak, type HeapState, type Peak } from '@lmm/core';

/** A run's peaks and where they were first reached (SPEC §5 `peak-live`, `peak-heap`). */
export interface RunPeak extends Peak {
  /** The first command after which the live bytes were at their peak (0 before any command). */
  readonly liveCmd: number;
  /** The first command after which the heap bytes were at their peak. */
  readonly heapCmd: number;
  /** Pages in use at the heap's peak. */
  readonly pages: number;
}

/**
 * Follows a run command by command and keeps its peaks with the first command each was
 * reached at. O(1) per command (`nextPeak`).
 */
export class PeakWatch {
  private current: Peak = NO_PEAK;
  private liveCmd = 0;
  private heapCmd = 0;
  private pages = 0;

  /** Takes the state after command `cmd` (a read-only view is enough: nothing is kept). */
  observe(cmd: number, state: HeapState): void {
    const next = nextPeak(this.current, state);
    if (next === this.current) return;
    if (next.liveBytes > this.current.liveBytes) this.liveCmd = cmd;
    if (next.heapBytes > this.current.heapBytes) {
      this.heapCmd = cmd;
      this.pages = state.pagesInUse;
    }
    this.current = next;
  }

  /** The peaks so far. */
  get peak(): RunPeak {
    return { ...this.current, liveCmd: this.liveCmd, heapCmd: this.heapCmd, pages: this.pages };
  }
}
