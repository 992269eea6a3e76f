/** Formatting for the page: ids and names as text it can show, exact bytes with thousands separators, short sizes, percentages. */

/**
 * An id or family name as the page shows it: well-formed text, each lone surrogate (a valid
 * id, `"\ud800"`, but no character) replaced by U+FFFD. Every id and name the page puts in
 * text or on a canvas goes through it.
 */
export function shown(text: string): string {
  return text.toWellFormed();
}

const group = (n: number): string => {
  const s = String(Math.abs(Math.round(n)));
  const parts: string[] = [];
  for (let i = s.length; i > 0; i -= 3) parts.unshift(s.slice(Math.max(0, i - 3), i));
  return (n < 0 ? '−' : '') + parts.join(',');
};

/** An integer with thousands separators: 1,234,567. */
export function int(n: number): string {
  return group(n);
}

/** Bytes exactly: `3,641,344 B`. */
export function bytes(n: number): string {
  return `${group(n)} B`;
}

/** Bytes briefly: `512 B`, `3.5 KiB`, `3.47 MiB`, `1.20 GiB`. */
export function shortBytes(n: number): string {
  const a = Math.abs(n);
  if (a < 1024) return `${Math.round(n)} B`;
  if (a < 1024 * 1024) return `${(n / 1024).toFixed(a < 10 * 1024 ? 2 : 1)} KiB`;
  if (a < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(2)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** A fraction as a percentage with one decimal: `45.1%`. */
export function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
