import type { Divergence } from '../model/divergence.js';
import type { RunMeta } from '../model/pageMeta.js';
import { fitCanvas } from './dom.js';

/** Left margin shared by the chart, the event strip and the slider, in CSS pixels. */
export const MARGIN_LEFT = 72;
/** Right margin (room for the utilization axis), in CSS pixels. */
export const MARGIN_RIGHT = 56;

/** Maps commands to x and back over a plot of `width` CSS pixels. */
export class CommandAxis {
  constructor(
    readonly commands: number,
    readonly width: number,
  ) {}
  get plotWidth(): number {
    return Math.max(1, this.width - MARGIN_LEFT - MARGIN_RIGHT);
  }
  x(cmd: number): number {
    return MARGIN_LEFT + (this.commands === 0 ? 0 : (cmd / this.commands) * this.plotWidth);
  }
  cmdAt(x: number): number {
    const f = (x - MARGIN_LEFT) / this.plotWidth;
    return Math.max(0, Math.min(this.commands, Math.round(f * this.commands)));
  }
}

/** Calls `seek` with the command under the pointer while a button is held on `canvas`. */
export function dragToSeek(canvas: HTMLCanvasElement, axis: () => CommandAxis, seek: (cmd: number) => void): void {
  let down = false;
  const at = (e: PointerEvent): void => seek(axis().cmdAt(e.clientX - canvas.getBoundingClientRect().left));
  canvas.addEventListener('pointerdown', (e) => {
    down = true;
    canvas.setPointerCapture(e.pointerId);
    at(e);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (down) at(e);
  });
  canvas.addEventListener('pointerup', () => (down = false));
}

/**
 * A canvas over the run's commands (the chart, the event strip): the plot is drawn once per
 * size into a cache, and moving the cursor repaints only the cache and the cursor. Dragging
 * on it seeks; it follows its parent's width.
 */
export abstract class Timeline {
  private readonly cache: HTMLCanvasElement = document.createElement('canvas');
  private cursor = 0;
  protected axis: CommandAxis;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    protected readonly runs: readonly RunMeta[],
    protected readonly divergence: Divergence | null,
    seek: (cmd: number) => void,
  ) {
    this.axis = new CommandAxis(Math.max(...runs.map((r) => r.commands)), 600);
    dragToSeek(canvas, () => this.axis, seek);
    new ResizeObserver(() => this.layout()).observe(canvas.parentElement!);
  }

  /** Height in CSS pixels. */
  protected abstract get height(): number;
  /** Draws the plot (everything but the cursor) over `width` CSS pixels. */
  protected abstract plot(ctx: CanvasRenderingContext2D, width: number): void;
  /** Draws the cursor at `x` CSS pixels. */
  protected abstract drawCursor(ctx: CanvasRenderingContext2D, x: number): void;

  /** Moves the cursor to `cmd`. */
  setCursor(cmd: number): void {
    this.cursor = cmd;
    this.paint();
  }

  private layout(): void {
    const width = this.canvas.parentElement!.clientWidth;
    this.axis = new CommandAxis(this.axis.commands, width);
    this.plot(fitCanvas(this.cache, width, this.height), width);
    this.paint();
  }

  private paint(): void {
    const ctx = fitCanvas(this.canvas, this.axis.width, this.height);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.drawImage(this.cache, 0, 0);
    const ratio = window.devicePixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.drawCursor(ctx, this.axis.x(this.cursor));
  }
}
