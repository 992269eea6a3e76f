/**
 * A size in bytes for people: `N bytes` under 1000, else kB or MB (powers of 1000, one
 * decimal, rounded as `toFixed` does: 999 999 bytes is `1000.0 kB`).
 */
export function sizeText(n: number): string {
  if (n < 1000) return `${n} bytes`;
  if (n < 1e6) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1e6).toFixed(1)} MB`;
}
