/**
 * The page's only way to make elements: text goes in through `textContent`, never markup,
 * so names and ids from a trace show literally and never run.
 */

/** Attributes `el` may set: a class, a title, and a few safe properties. */
export interface ElOptions {
  readonly className?: string;
  readonly title?: string;
  readonly text?: string;
  readonly id?: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

/** Creates an element with text (as text) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElOptions = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (options.className !== undefined) e.className = options.className;
  if (options.title !== undefined) e.title = options.title;
  if (options.id !== undefined) e.id = options.id;
  if (options.text !== undefined) e.textContent = options.text;
  for (const [k, v] of Object.entries(options.attrs ?? {})) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

/** Replaces an element's content with text. */
export function setText(e: Element, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}

/** The element with this id; throws when the page lacks it. */
export function byId<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`page: #${id} is missing`);
  return e as T;
}

/** A canvas sized to its box in CSS pixels, backed at the device's pixel ratio; returns its 2D context scaled to CSS pixels. */
export function fitCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(width * ratio));
  const h = Math.max(1, Math.round(height * ratio));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('page: no 2D canvas');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

/** A canvas font of the page's monospace stack (as `--mono` in style.css) at `px` CSS pixels. */
export function monoFont(px: number, bold = false): string {
  return `${bold ? 'bold ' : ''}${px}px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace`;
}
