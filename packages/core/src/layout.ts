/**
 * The byte geometry of the simulated heap: how big a VM page is, how many bytes of
 * page header precede the first meta block, and how big one meta block is (SPEC §1).
 */
export interface Layout {
  /** Bytes per VM page; a power of two from 256 to 1 MiB. */
  readonly pageSize: number;
  /** Bytes of page header before the first meta block (0 in `seed`). */
  readonly pageHeaderSize: number;
  /** Bytes of one meta block, placed before every data block. */
  readonly metaSize: number;
}

/** The named layouts of SPEC §1: `seed` (the notes, default), `lmm64` (C reference on x86-64), `lmm32`. */
export const LAYOUTS: Readonly<Record<'seed' | 'lmm64' | 'lmm32', Layout>> = {
  seed: { pageSize: 4096, pageHeaderSize: 0, metaSize: 28 },
  lmm64: { pageSize: 4096, pageHeaderSize: 24, metaSize: 48 },
  lmm32: { pageSize: 4096, pageHeaderSize: 12, metaSize: 28 },
};

/**
 * The largest data block one page can hold: `pageSize − pageHeaderSize − metaSize` bytes.
 * Requests above it become large (multi-page) blocks.
 */
export function maxAlloc(layout: Layout): number {
  return layout.pageSize - layout.pageHeaderSize - layout.metaSize;
}

/**
 * Parses a layout name (`seed`, `lmm64`, `lmm32`) or a custom `PAGE:HEADER:META` triple.
 * Returns the layout, or an error message saying what is wrong; never throws.
 */
export function parseLayout(text: string): Layout | string {
  if (text === 'seed' || text === 'lmm64' || text === 'lmm32') return LAYOUTS[text];
  const m = /^(\d{1,8}):(\d{1,8}):(\d{1,8})$/.exec(text);
  if (!m) return `unknown layout '${text}' (expected seed, lmm64, lmm32 or PAGE:HEADER:META)`;
  return checkLayout({ pageSize: Number(m[1]), pageHeaderSize: Number(m[2]), metaSize: Number(m[3]) });
}

/**
 * Checks a layout against SPEC §1 (pageSize a power of two in 256…1 MiB, header and
 * meta non-negative integers, maxAlloc ≥ 1). Returns the layout or an error message.
 */
export function checkLayout(layout: Layout): Layout | string {
  const { pageSize, pageHeaderSize, metaSize } = layout;
  if (!Number.isInteger(pageSize) || pageSize < 256 || pageSize > 1 << 20 || (pageSize & (pageSize - 1)) !== 0) {
    return `page size ${pageSize} is not a power of two from 256 to 1048576`;
  }
  if (!Number.isInteger(pageHeaderSize) || pageHeaderSize < 0) return `page header size ${pageHeaderSize} is not an integer ≥ 0`;
  if (!Number.isInteger(metaSize) || metaSize < 0) return `meta block size ${metaSize} is not an integer ≥ 0`;
  if (pageSize - pageHeaderSize - metaSize < 1) return `layout ${pageSize}:${pageHeaderSize}:${metaSize} leaves no byte for data`;
  return { pageSize, pageHeaderSize, metaSize };
}

/** A layout's canonical name: `seed`, `lmm64`, `lmm32`, or `P:H:M`. */
export function layoutName(layout: Layout): string {
  for (const [name, l] of Object.entries(LAYOUTS)) {
    if (l.pageSize === layout.pageSize && l.pageHeaderSize === layout.pageHeaderSize && l.metaSize === layout.metaSize) return name;
  }
  return `${layout.pageSize}:${layout.pageHeaderSize}:${layout.metaSize}`;
}
