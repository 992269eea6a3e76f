/** Where a progress bar draws: a terminal stream (stderr). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

/** Options of a progress bar; the defaults are for the real terminal. */
export interface ProgressOptions {
  /** Default `process.stderr`. Nothing is drawn unless it is a TTY. */
  readonly stream?: ProgressStream;
  /** Milliseconds now (default `performance.now`). */
  readonly now?: () => number;
  /** Show the bar only once the work has taken this long (default 1000 ms). */
  readonly delayMs?: number;
  /** Redraw at most this often (default 100 ms). */
  readonly intervalMs?: number;
}

/** The bars on screen: drawn and not yet erased. */
const active = new Set<Progress>();
let exitHooked = false;

const mb = (n: number) => (n / 1e6).toFixed(n < 1e7 ? 2 : 1);

/**
 * A one-line progress bar on stderr for work measured in bytes (reading a trace or a log):
 * `label [#####.....] 45% 70.1/154.2 MB, 3 s left` (`label: 70.1 MB so far` when the size is
 * not known). Drawn only when stderr is a terminal and
 * only once the work has run for a second; redrawn at most ten times a second; erased by
 * `done()` (and when the process exits), so output and error lines are never mixed with it.
 */
export class Progress {
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly delayMs: number;
  private readonly intervalMs: number;
  private readonly start: number;
  private lastDraw = -Infinity;

  constructor(
    private readonly label: string,
    options: ProgressOptions = {},
  ) {
    this.stream = options.stream ?? process.stderr;
    this.now = options.now ?? (() => performance.now());
    this.delayMs = options.delayMs ?? 1000;
    this.intervalMs = options.intervalMs ?? 100;
    this.start = this.now();
  }

  /** True when this bar can ever draw (its stream is a terminal). */
  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  /** Reports `done` of `total` bytes; draws when due. Cheap to call often. */
  update(done: number, total: number): void {
    if (!this.enabled) return;
    const t = this.now();
    if (t - this.start < this.delayMs || t - this.lastDraw < this.intervalMs) return;
    this.lastDraw = t;
    this.shown();
    this.stream.write(`\r${this.line(done, total, t)}\x1b[K`);
  }

  /**
   * Shows the label alone, for a stage of the work with no measure of its own (building a
   * page), under the same rules as a bar: a terminal, and past the delay. Erased by `done`.
   */
  stage(): void {
    if (!this.enabled || this.now() - this.start < this.delayMs) return;
    this.shown();
    this.stream.write(`\r${this.label.slice(0, Math.max(1, (this.stream.columns || 80) - 1))}\x1b[K`);
  }

  /** Erases the bar if it was drawn. Call when the work ends, however it ends. */
  done(): void {
    if (!active.delete(this)) return;
    this.stream.write('\r\x1b[K');
  }

  /** Records that the bar is on screen, for `done` and the exit hook to erase; harmless when it already is. */
  private shown(): void {
    active.add(this);
    hookExit();
  }

  /** The bar's text for `done` of `total` at time `t` (ms), fitted to the terminal's width; with `total` 0 (not known: a pipe), the bytes done so far. */
  line(done: number, total: number, t: number): string {
    const columns = this.stream.columns || 80;
    if (total <= 0) return `${this.label}: ${mb(done)} MB so far`.slice(0, Math.max(1, columns - 1));
    const frac = Math.min(1, done / total);
    const elapsed = (t - this.start) / 1000;
    const left = frac > 0 && frac < 1 ? Math.round((elapsed * (1 - frac)) / frac) : undefined;
    const tail = ` ${Math.floor(frac * 100)}% ${mb(done)}/${mb(total)} MB${left === undefined ? '' : `, ${left} s left`}`;
    const width = Math.max(10, Math.min(40, columns - 1 - this.label.length - 3 - tail.length));
    const filled = Math.round(frac * width);
    return `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${tail}`.slice(0, Math.max(1, columns - 1));
  }
}

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const p of [...active]) p.done();
  });
}

/** A progress callback for a file being read (`onProgress` of the readers), drawing `label`'s bar; and the bar, to call `done()` on. */
export function fileProgress(label: string, options: ProgressOptions = {}): { readonly bar: Progress; readonly onProgress: (bytesRead: number, totalBytes: number) => void } {
  const bar = new Progress(label, options);
  return { bar, onProgress: (d, t) => bar.update(d, t) };
}
