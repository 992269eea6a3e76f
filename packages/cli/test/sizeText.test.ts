/** `sizeText`: the size `view -o` reports for the page it wrote. */
import { describe, expect, it } from 'vitest';
import { sizeText } from '../src/sizeText.js';

describe('sizeText', () => {
  it('bytes under 1000, kB under a million, then MB, with one decimal (powers of 1000)', () => {
    const cases: [number, string][] = [
      [0, '0 bytes'],
      [999, '999 bytes'],
      [1000, '1.0 kB'],
      [56_711, '56.7 kB'],
      [999_949, '999.9 kB'],
      [1_000_000, '1.0 MB'],
      [12_345_678, '12.3 MB'],
    ];
    for (const [n, text] of cases) expect(sizeText(n), String(n)).toBe(text);
  });
});
