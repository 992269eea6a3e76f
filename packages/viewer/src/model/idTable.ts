import type { ByteReader } from '@lmm/core';
import type { Ids } from './runFacts.js';

/** True when a string is well-formed UTF-16 (no lone surrogate), so it survives UTF-8. */
export function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/** Ids by index, cut from one text on demand (a million ids cost one string, not a million). */
export class IdTable implements Ids {
  /** ends[i] is where id i ends in the text (UTF-16 units). */
  private readonly ends: Float64Array;

  /** From the text of all ids and a reader of their lengths, or from a list. */
  constructor(
    private readonly text: string,
    lengths: ByteReader,
    /** Number of ids. */
    readonly length: number,
    private readonly list: readonly string[] | null = null,
  ) {
    this.ends = new Float64Array(list === null ? length : 0);
    if (list !== null) {
      if (list.length !== length) throw new Error('viewer payload: the id list does not add up');
      return;
    }
    let at = 0;
    for (let i = 0; i < length; i++) this.ends[i] = at += lengths.uint();
    if (at !== text.length) throw new Error('viewer payload: the id table does not add up');
  }

  /** Id `i` (0 ≤ i < length). */
  get(i: number): string {
    if (!(i >= 0 && i < this.length)) throw new RangeError(`no id ${i}`);
    if (this.list !== null) return this.list[i]!;
    return this.text.slice(i === 0 ? 0 : this.ends[i - 1]!, this.ends[i]!);
  }
}
