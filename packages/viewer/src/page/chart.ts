import { bucketStart } from '../model/series.js';
import { monoFont } from './dom.js';
import { int, percent, shortBytes } from './format.js';
import type { RunMeta } from '../model/pageMeta.js';
import { COLORS } from './palette.js';
import { MARGIN_LEFT, MARGIN_RIGHT, Timeline } from './timeline.js';

/**
 * Heap bytes, live bytes and utilization over the run(s), from the bucketed series; the
 * peaks marked with dots (their numbers are in the line under the chart, `peakLabels`), a
 * cursor at the current command. The plot is cached; moving the cursor only repaints the
 * cache and one line.
 */
export class SeriesChart extends Timeline {
  protected get height(): number {
    return 132;
  }

  protected drawCursor(ctx: CanvasRenderingContext2D, cursorX: number): void {
    const x = Math.round(cursorX) + 0.5;
    ctx.strokeStyle = COLORS.cursor;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x, 8);
    ctx.lineTo(x, this.height - 18);
    ctx.stroke();
  }

  protected plot(ctx: CanvasRenderingContext2D, width: number): void {
    const h = this.height;
    const top = 10;
    const bottom = h - 20;
    ctx.clearRect(0, 0, width, h);
    // At least one page tall, so an empty run still gets sensible labels.
    const maxBytes = Math.max(this.runs[0]!.header.layout.pageSize, ...this.runs.map((r) => r.series.peakHeap.bytes));
    const y = (v: number): number => bottom - (v / maxBytes) * (bottom - top);
    const yu = (u: number): number => bottom - u * (bottom - top);
    const axis = this.axis;
    // Grid and axes.
    ctx.font = monoFont(10);
    ctx.textBaseline = 'middle';
    ctx.strokeStyle = COLORS.grid;
    ctx.lineWidth = 1;
    for (const f of [0, 0.25, 0.5, 0.75, 1]) {
      const gy = Math.round(bottom - f * (bottom - top)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(MARGIN_LEFT, gy);
      ctx.lineTo(width - MARGIN_RIGHT, gy);
      ctx.stroke();
      ctx.fillStyle = COLORS.muted;
      ctx.textAlign = 'right';
      ctx.fillText(shortBytes(f * maxBytes), MARGIN_LEFT - 6, gy);
      ctx.textAlign = 'left';
      ctx.fillStyle = COLORS.util;
      ctx.fillText(`${Math.round(f * 100)}%`, width - MARGIN_RIGHT + 6, gy);
    }
    ctx.fillStyle = COLORS.muted;
    ctx.textAlign = 'left';
    ctx.fillText('cmd 0', MARGIN_LEFT, h - 8);
    ctx.textAlign = 'right';
    ctx.fillText(`cmd ${int(axis.commands)}`, width - MARGIN_RIGHT, h - 8);
    ctx.textAlign = 'left';
    this.runs.forEach((run, r) => {
      const s = run.series;
      const dash = r === 0 ? [] : [5, 3];
      const bk: Buckets = {
        count: s.buckets,
        xs: (b) => axis.x(bucketStart(b, s.buckets, s.commands)),
        xe: (b) => axis.x(bucketStart(b + 1, s.buckets, s.commands) - 1),
      };
      if (r === 0) {
        area(ctx, bk, s.heapMax, y, bottom, 'rgba(147,197,253,0.45)');
        area(ctx, bk, s.liveMax, y, bottom, 'rgba(22,163,74,0.22)');
      }
      line(ctx, bk, s.heapMax, y, COLORS.heapLine, dash);
      line(ctx, bk, s.liveMax, y, COLORS.live, dash);
      line(ctx, bk, s.utilMax, yu, COLORS.util, r === 0 ? [2, 2] : [1, 3]);
      peakDot(ctx, axis.x(s.peakHeap.cmd), y(s.peakHeap.bytes), bottom, COLORS.heapLine, r);
      peakDot(ctx, axis.x(s.peakLive.cmd), y(s.peakLive.bytes), bottom, COLORS.live, r);
    });
    if (this.divergence !== null) {
      const x = Math.round(axis.x(this.divergence.cmd)) + 0.5;
      ctx.strokeStyle = COLORS.divergence;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      ctx.setLineDash([]);
    }
  }
}

/** A run's buckets on the x axis: how many, and where each starts and ends. */
interface Buckets {
  readonly count: number;
  readonly xs: (b: number) => number;
  readonly xe: (b: number) => number;
}

/** The values `v` as steps, one flat stretch per bucket; `moveFirst` starts a new path at the first. */
function steps(ctx: CanvasRenderingContext2D, bk: Buckets, v: readonly number[], y: (v: number) => number, moveFirst: boolean): void {
  for (let b = 0; b < bk.count; b++) {
    if (b === 0 && moveFirst) ctx.moveTo(bk.xs(b), y(v[b]!));
    else ctx.lineTo(bk.xs(b), y(v[b]!));
    ctx.lineTo(bk.xe(b), y(v[b]!));
  }
}

/** The values `v` as a filled area down to `bottom`. */
function area(ctx: CanvasRenderingContext2D, bk: Buckets, v: readonly number[], y: (v: number) => number, bottom: number, fill: string): void {
  if (bk.count === 0) return;
  ctx.fillStyle = fill;
  ctx.beginPath();
  ctx.moveTo(bk.xs(0), bottom);
  steps(ctx, bk, v, y, false);
  ctx.lineTo(bk.xe(bk.count - 1), bottom);
  ctx.closePath();
  ctx.fill();
}

/** The values `v` as a line. */
function line(ctx: CanvasRenderingContext2D, bk: Buckets, v: readonly number[], y: (v: number) => number, color: string, dash: number[]): void {
  if (bk.count === 0) return;
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.25;
  ctx.setLineDash(dash);
  ctx.beginPath();
  steps(ctx, bk, v, y, true);
  ctx.stroke();
  ctx.setLineDash([]);
}

/** A peak: a dot on its curve (hollow for run B) and a dotted drop line to the axis. */
function peakDot(ctx: CanvasRenderingContext2D, x: number, y: number, bottom: number, color: string, run: number): void {
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = 1;
  ctx.setLineDash([1, 2]);
  ctx.beginPath();
  ctx.moveTo(x, y);
  ctx.lineTo(x, bottom);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.arc(x, y, 3.5, 0, Math.PI * 2);
  if (run === 0) ctx.fill();
  else {
    ctx.fillStyle = '#fff';
    ctx.fill();
    ctx.stroke();
  }
}

/**
 * The peaks of each run as text for the line under the chart (never over the plot, where
 * two runs' labels covered the curves): `A · peak heap 2.0 MB @ 1,234 · peak live … ·
 * peak utilization 75.0%`, with the colour of each curve.
 */
export function peakLabels(runs: readonly RunMeta[]): { readonly text: string; readonly color: string }[][] {
  return runs.map((run, r) => {
    const s = run.series;
    const tag = runs.length > 1 ? `${r === 0 ? 'A' : 'B'} · ` : '';
    return [
      { text: `${tag}peak heap ${shortBytes(s.peakHeap.bytes)} @ ${int(s.peakHeap.cmd)}`, color: COLORS.heapLine },
      { text: `peak live ${shortBytes(s.peakLive.bytes)} @ ${int(s.peakLive.cmd)}`, color: COLORS.live },
      { text: `peak utilization ${percent(s.peakUtilization)}`, color: COLORS.util },
    ];
  });
}
