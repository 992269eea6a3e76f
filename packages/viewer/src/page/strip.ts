import { bucketStart } from '../model/series.js';
import { monoFont } from './dom.js';
import { int } from './format.js';
import { COLORS } from './palette.js';
import { MARGIN_LEFT, Timeline } from './timeline.js';

const LANE = 24;

/**
 * The timeline's event marks, one lane per run: page requests as green ticks up, page
 * releases as blue ticks down (taller for more in one bucket), rejections as red dots, page
 * requests that were avoidable growth as orange triangles over their tick; the
 * first divergence of two runs as a red dashed line; the current command as a cursor.
 */
export class EventStrip extends Timeline {
  protected get height(): number {
    return this.runs.length * LANE + 4;
  }

  protected drawCursor(ctx: CanvasRenderingContext2D, x: number): void {
    ctx.fillStyle = COLORS.cursor;
    ctx.fillRect(Math.round(x) - 1, 0, 2, this.height);
  }

  protected plot(ctx: CanvasRenderingContext2D, width: number): void {
    ctx.clearRect(0, 0, width, this.height);
    const axis = this.axis;
    ctx.font = monoFont(10);
    ctx.textBaseline = 'middle';
    this.runs.forEach((run, r) => {
      const s = run.series;
      const mid = 2 + r * LANE + LANE / 2;
      ctx.fillStyle = '#f8fafc';
      ctx.fillRect(MARGIN_LEFT, mid - LANE / 2 + 1, axis.plotWidth, LANE - 2);
      ctx.fillStyle = COLORS.muted;
      ctx.textAlign = 'right';
      ctx.fillText(this.runs.length > 1 ? `${r === 0 ? 'A' : 'B'} events` : 'events', MARGIN_LEFT - 6, mid);
      ctx.textAlign = 'left';
      const tick = (n: number): number => Math.min(LANE / 2 - 2, 5 + 2 * Math.log2(n));
      for (let b = 0; b < s.buckets; b++) {
        // Command c is the step from c − 1 to c: its marks span that stretch of the axis.
        const x = Math.floor(axis.x(bucketStart(b, s.buckets, s.commands) - 1));
        const w = Math.max(1, Math.floor(axis.x(bucketStart(b + 1, s.buckets, s.commands) - 1)) - x);
        if (s.requests[b]! > 0) {
          ctx.fillStyle = COLORS.request;
          ctx.fillRect(x, mid - tick(s.requests[b]!), w, tick(s.requests[b]!));
        }
        if (s.releases[b]! > 0) {
          ctx.fillStyle = COLORS.release;
          ctx.fillRect(x, mid, w, tick(s.releases[b]!));
        }
        if ((s.avoidable?.[b] ?? 0) > 0) {
          // Avoidable growth: the heap grew though the family's free bytes would have held the block.
          ctx.fillStyle = COLORS.avoidable;
          ctx.beginPath();
          ctx.moveTo(x + w / 2, mid - LANE / 2 + 1);
          ctx.lineTo(x + w / 2 + 3.5, mid - LANE / 2 + 7);
          ctx.lineTo(x + w / 2 - 3.5, mid - LANE / 2 + 7);
          ctx.closePath();
          ctx.fill();
        }
        if (s.rejections[b]! > 0) {
          ctx.fillStyle = COLORS.rejection;
          ctx.beginPath();
          ctx.arc(x + w / 2, mid - LANE / 2 + 4, 2.5, 0, Math.PI * 2);
          ctx.fill();
        }
      }
      ctx.fillStyle = COLORS.grid;
      ctx.fillRect(MARGIN_LEFT, mid, axis.plotWidth, 1);
    });
    if (this.divergence !== null) {
      const x = Math.round(axis.x(this.divergence.cmd)) + 0.5;
      ctx.strokeStyle = COLORS.divergence;
      ctx.setLineDash([3, 2]);
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x, 0);
      ctx.lineTo(x, this.height);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = COLORS.divergence;
      const label = `≠ ${int(this.divergence.cmd)}`;
      const w = ctx.measureText(label).width;
      ctx.fillText(label, Math.min(x + 4, width - w - 2), 8);
    }
  }
}
