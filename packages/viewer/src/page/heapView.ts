import { blockIndex, type HeapModel, type ModelBlock, type ModelFamily, type ModelPage } from '../model/heapModel.js';
import { fitCanvas, monoFont } from './dom.js';
import { bytes, int, percent, shown } from './format.js';
import { COLORS, familyColor } from './palette.js';

/**
 * One run's heap drawn to scale on a canvas: a header row per family, then one row per VM
 * page (newest first, as the family's list holds them), bytes left to right. Only the rows
 * in view are drawn, so thousands of pages scroll smoothly. A large run of k pages takes k
 * rows (the middle ones folded into one row when k > 4). Text goes through `fillText` or
 * `textContent` only.
 */

const FAMILY_ROW = 26;
const PAGE_ROW = 15;
const BAR = 11;
const LABEL_W = 78;
const RIGHT_PAD = 10;

type Item =
  | { readonly kind: 'family'; readonly y: number; readonly h: number; readonly fam: ModelFamily; readonly index: number }
  | { readonly kind: 'row'; readonly y: number; readonly h: number; readonly fam: ModelFamily; readonly index: number; readonly page: ModelPage; readonly row: number }
  | { readonly kind: 'elide'; readonly y: number; readonly h: number; readonly fam: ModelFamily; readonly index: number; readonly page: ModelPage; readonly from: number; readonly to: number };

/** What is under the mouse. */
export interface HeapHit {
  readonly fam: ModelFamily;
  readonly page: ModelPage;
  /** The block, or undefined over the page header. */
  readonly block: ModelBlock | undefined;
  /** Which part of it. */
  readonly part: 'header' | 'meta' | 'data' | 'gap';
}

/** Blocks a command touched, as `page:offset` keys. */
export type TouchedBlocks = ReadonlySet<string>;

/** The key of a block in a TouchedBlocks set. */
export const blockKey = (page: number, off: number): string => `${page}:${off}`;

/** The canvas heap of one run inside a scrolling box. */
export class HeapView {
  private readonly scroller: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private items: Item[] = [];
  private touched: TouchedBlocks = new Set();
  private differs: TouchedBlocks = new Set();
  private hover: HeapHit | undefined;
  private heads = new Map<ModelFamily, ModelBlock | undefined>();
  /** The scroller's content box and scroll position, kept from its events (reading them would force a layout on every draw). */
  private width = 0;
  private height = 0;
  private top = 0;

  constructor(
    wrap: HTMLElement,
    private model: HeapModel,
    private readonly onHover: (hit: HeapHit | undefined, x: number, y: number) => void,
  ) {
    this.scroller = document.createElement('div');
    this.scroller.className = 'heap-scroll';
    this.spacer = document.createElement('div');
    this.spacer.className = 'heap-spacer';
    this.scroller.append(this.spacer);
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'heap-canvas';
    wrap.append(this.scroller, this.canvas);
    this.scroller.addEventListener('scroll', () => {
      this.top = this.scroller.scrollTop;
      this.draw();
    });
    this.scroller.addEventListener('mousemove', (e) => this.moved(e));
    this.scroller.addEventListener('mouseleave', () => {
      this.hover = undefined;
      this.onHover(undefined, 0, 0);
      this.draw();
    });
    new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]!.contentRect;
      this.width = box.width;
      this.height = box.height;
      this.draw();
    }).observe(this.scroller);
  }

  /** Draws another model from now on (call `render` next). */
  setModel(model: HeapModel): void {
    this.model = model;
    this.hover = undefined;
  }

  /**
   * Lays out the model's current state and draws it; `touched` blocks get an outline,
   * `differs` blocks (not the same in the other run, with `--vs`) a hatched band beneath.
   */
  render(touched: TouchedBlocks, differs: TouchedBlocks = new Set()): void {
    this.touched = touched;
    this.differs = differs;
    const items: Item[] = [];
    let y = 4;
    this.heads.clear();
    this.model.families.forEach((fam, index) => {
      items.push({ kind: 'family', y, h: FAMILY_ROW, fam, index });
      y += FAMILY_ROW;
      this.heads.set(fam, this.model.queueHead(fam));
      for (let p = fam.pages.length - 1; p >= 0; p--) {
        const page = fam.pages[p]!;
        const rows = page.count <= 4 ? [...Array(page.count).keys()] : [0, -1, page.count - 1];
        for (const row of rows) {
          if (row < 0) {
            items.push({ kind: 'elide', y, h: PAGE_ROW, fam, index, page, from: 1, to: page.count - 2 });
          } else {
            items.push({ kind: 'row', y, h: PAGE_ROW, fam, index, page, row });
          }
          y += PAGE_ROW;
        }
      }
      y += 6;
    });
    this.items = items;
    this.spacer.style.height = `${y + 8}px`;
    this.hover = undefined;
    this.draw();
  }

  private geometry(): { barX: number; barW: number; scale: number } {
    const barX = LABEL_W;
    const barW = Math.max(64, this.width - LABEL_W - RIGHT_PAD);
    return { barX, barW, scale: barW / this.model.run.header.layout.pageSize };
  }

  /** Items overlapping the vertical range [top, bottom). */
  private visible(top: number, bottom: number): Item[] {
    const items = this.items;
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const it = items[mid]!;
      if (it.y + it.h <= top) lo = mid + 1;
      else hi = mid;
    }
    const out: Item[] = [];
    for (let i = lo; i < items.length && items[i]!.y < bottom; i++) out.push(items[i]!);
    return out;
  }

  /** Redraws the rows in view. */
  draw(): void {
    const ctx = fitCanvas(this.canvas, this.width, this.height);
    ctx.clearRect(0, 0, this.width, this.height);
    const top = this.top;
    if (this.items.length === 0) {
      ctx.fillStyle = COLORS.muted;
      ctx.font = '13px system-ui, sans-serif';
      ctx.fillText('No family registered yet at this command.', 12, 24);
      return;
    }
    for (const it of this.visible(top, top + this.height)) {
      const y = it.y - top;
      if (it.kind === 'family') this.drawFamily(ctx, it, y);
      else if (it.kind === 'row') this.drawRow(ctx, it, y);
      else this.drawElide(ctx, it, y);
    }
  }

  private drawFamily(ctx: CanvasRenderingContext2D, it: Extract<Item, { kind: 'family' }>, y: number): void {
    const fam = it.fam;
    let pages = 0;
    let live = 0;
    let liveBytes = 0;
    let free = 0;
    for (const p of fam.pages) {
      pages += p.count;
      for (const b of p.blocks) {
        if (b.id < 0) free++;
        else {
          live++;
          liveBytes += b.size;
        }
      }
    }
    const pageSize = this.model.run.header.layout.pageSize;
    ctx.fillStyle = familyColor(it.index);
    ctx.fillRect(8, y + 9, 12, 12);
    ctx.fillStyle = COLORS.text;
    ctx.font = monoFont(13, true);
    ctx.textBaseline = 'middle';
    const name = shown(fam.name);
    ctx.fillText(name, 26, y + 15, Math.max(60, this.width * 0.4));
    const nameW = Math.min(ctx.measureText(name).width, Math.max(60, this.width * 0.4));
    ctx.font = monoFont(11);
    ctx.fillStyle = COLORS.muted;
    const head = this.heads.get(fam);
    const util = pages === 0 ? 0 : liveBytes / (pages * pageSize);
    const info = `struct ${fam.size} B · ${int(pages)} page${pages === 1 ? '' : 's'} · ${int(live)} live · ${int(free)} free · util ${percent(util)}${head ? ` · queue head ${bytes(head.size)}` : ''}`;
    ctx.fillText(info, 26 + nameW + 12, y + 15, Math.max(40, this.width - nameW - 50));
  }

  private drawElide(ctx: CanvasRenderingContext2D, it: Extract<Item, { kind: 'elide' }>, y: number): void {
    const { barX, barW } = this.geometry();
    ctx.fillStyle = COLORS.muted;
    ctx.font = monoFont(10);
    ctx.textBaseline = 'middle';
    ctx.fillText(`⋮ ${int(it.to - it.from + 1)} more pages of this block's data`, barX + 6, y + PAGE_ROW / 2, barW - 12);
  }

  private drawRow(ctx: CanvasRenderingContext2D, it: Extract<Item, { kind: 'row' }>, y: number): void {
    const { pageSize, pageHeaderSize, metaSize } = this.model.run.header.layout;
    const { barX, barW, scale } = this.geometry();
    const page = it.page;
    const rowStart = it.row * pageSize;
    const rowEnd = rowStart + pageSize;
    const by = y + (PAGE_ROW - BAR) / 2;
    ctx.font = monoFont(10);
    ctx.textBaseline = 'middle';
    ctx.fillStyle = COLORS.muted;
    const label = it.row === 0 ? (page.count > 1 ? `#${page.id} ×${page.count}` : `#${page.id}`) : `+${it.row}`;
    ctx.textAlign = 'right';
    ctx.fillText(label, barX - 6, y + PAGE_ROW / 2, LABEL_W - 10);
    ctx.textAlign = 'left';
    const seg = (from: number, to: number, color: string): void => {
      const s = Math.max(from, rowStart);
      const e = Math.min(to, rowEnd);
      if (e <= s) return;
      ctx.fillStyle = color;
      ctx.fillRect(barX + (s - rowStart) * scale, by, (e - s) * scale, BAR);
    };
    if (it.row === 0 && pageHeaderSize > 0) seg(0, pageHeaderSize, COLORS.header);
    const famColor = familyColor(it.index);
    const blocks = page.blocks;
    const head = this.heads.get(it.fam);
    for (let i = Math.max(0, blockIndex(blocks, rowStart + 1) - 1); i < blocks.length; i++) {
      const b = blocks[i]!;
      if (b.off >= rowEnd) break;
      const dataStart = b.off + metaSize;
      const end = dataStart + b.size + b.gap;
      if (end <= rowStart) continue;
      seg(b.off, dataStart, COLORS.meta);
      const free = b.id < 0;
      seg(dataStart, dataStart + b.size, free ? (b.size < it.fam.size ? COLORS.soft : COLORS.free) : famColor);
      if (b.gap > 0) seg(dataStart + b.size, end, COLORS.gap);
      const outline = (color: string, width: number): void => {
        const s = Math.max(b.off, rowStart);
        const e = Math.min(end, rowEnd);
        ctx.strokeStyle = color;
        ctx.lineWidth = width;
        ctx.strokeRect(barX + (s - rowStart) * scale + width / 2, by + width / 2, Math.max(1, (e - s) * scale - width), BAR - width);
      };
      if (b === head) {
        outline(COLORS.queueHead, 2);
        const x = barX + (Math.max(b.off, rowStart) - rowStart) * scale;
        ctx.fillStyle = COLORS.queueHead;
        ctx.beginPath();
        ctx.moveTo(x, by - 3);
        ctx.lineTo(x + 8, by - 3);
        ctx.lineTo(x, by + 5);
        ctx.closePath();
        ctx.fill();
      }
      if (this.differs.has(blockKey(page.id, b.off))) {
        // Under the bar, in the row's margin: visible whatever outlines the block has.
        const s = Math.max(b.off, rowStart);
        const e = Math.min(end, rowEnd);
        const x0 = barX + (s - rowStart) * scale;
        const w = Math.max(2, (e - s) * scale);
        ctx.fillStyle = COLORS.differs;
        ctx.fillRect(x0, by + BAR, w, 2);
        ctx.fillRect(x0, by - 2, w, 2);
      }
      if (this.touched.has(blockKey(page.id, b.off))) outline(COLORS.changed, 2);
      if (this.hover !== undefined && this.hover.block === b) outline(COLORS.hover, 1);
    }
    ctx.strokeStyle = COLORS.freeEdge;
    ctx.lineWidth = 1;
    ctx.strokeRect(barX - 0.5, by - 0.5, barW + 1, BAR + 1);
  }

  /** What is at a point of the scroller (CSS pixels relative to its box). */
  hitTest(x: number, y: number): HeapHit | undefined {
    const top = y + this.top;
    const [it] = this.visible(top, top + 0.5);
    if (it === undefined || it.kind !== 'row') return undefined;
    const { pageSize, pageHeaderSize, metaSize } = this.model.run.header.layout;
    const { barX, barW, scale } = this.geometry();
    if (x < barX || x >= barX + barW) return undefined;
    const byte = it.row * pageSize + Math.floor((x - barX) / scale);
    if (byte < pageHeaderSize) return { fam: it.fam, page: it.page, block: undefined, part: 'header' };
    const blocks = it.page.blocks;
    const block = blocks[blockIndex(blocks, byte + 1) - 1];
    if (block === undefined) return undefined;
    const dataStart = block.off + metaSize;
    const part = byte < dataStart ? 'meta' : byte < dataStart + block.size ? 'data' : 'gap';
    return { fam: it.fam, page: it.page, block, part };
  }

  private moved(e: MouseEvent): void {
    const box = this.scroller.getBoundingClientRect();
    const hit = this.hitTest(e.clientX - box.left, e.clientY - box.top);
    const changed = hit?.block !== this.hover?.block || hit?.part !== this.hover?.part || hit?.page !== this.hover?.page;
    this.hover = hit;
    this.onHover(hit, e.clientX, e.clientY);
    if (changed) this.draw();
  }

  /** Scrolls the page row holding `offset` of page `pageId` to the middle of the view when it is out of view. */
  reveal(pageId: number, offset: number): void {
    const row = Math.floor(offset / this.model.run.header.layout.pageSize);
    const it = this.items.find((i) => i.kind === 'row' && i.page.id === pageId && i.row === row);
    if (it === undefined) return;
    if (it.y >= this.top && it.y + it.h <= this.top + this.height) return;
    this.scrollTo(it.y - this.height / 2);
  }

  /**
   * Scrolls the block at `page`/`offset` into view and returns its data part's box in
   * client coordinates, or null when no such block is shown (for tests and links).
   */
  blockRect(pageId: number, offset: number): { x: number; y: number; width: number; height: number } | null {
    const { pageSize, metaSize } = this.model.run.header.layout;
    const row = Math.floor(offset / pageSize);
    const it = this.items.find((i) => i.kind === 'row' && i.page.id === pageId && i.row === row);
    if (it === undefined || it.kind !== 'row') return null;
    const block = it.page.blocks[blockIndex(it.page.blocks, offset)];
    if (block === undefined || block.off !== offset) return null;
    this.scrollTo(it.y - this.height / 2);
    const { barX, scale } = this.geometry();
    const box = this.scroller.getBoundingClientRect();
    const s = Math.max(block.off, row * pageSize) - row * pageSize;
    const e = Math.min(block.off + metaSize + block.size + block.gap, (row + 1) * pageSize) - row * pageSize;
    return { x: box.left + barX + s * scale, y: box.top + it.y - this.top + (PAGE_ROW - BAR) / 2, width: (e - s) * scale, height: BAR };
  }

  private scrollTo(y: number): void {
    this.scroller.scrollTop = Math.max(0, y);
    this.top = this.scroller.scrollTop;
    this.draw();
  }
}
