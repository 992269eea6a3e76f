/**
 * Variable-length integers (LEB128: 7 bits a byte, low bits first) and strings as their
 * UTF-16 code units, for compact binary encodings (`encodeState`, the fact log's index, the
 * viewer's fact columns). Signed integers as zigzag varints.
 * Every non-negative safe integer fits in at most 8 bytes. Pure: no I/O, runs anywhere.
 */

/** The most bytes one varint takes (8 × 7 bits cover every safe integer). */
const MAX_VARINT_BYTES = 8;

/** Code units turned into a string by one `String.fromCharCode` call (its arguments go on the stack). */
const STRING_CHUNK = 4096;

/** A growable byte buffer written as varints. */
export class ByteWriter {
  private buf: Uint8Array;
  private len = 0;

  /** `capacity`: bytes to reserve at first (the buffer doubles as needed). */
  constructor(capacity = 1 << 12) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.len;
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** Appends a non-negative safe integer. Throws a RangeError on anything else. */
  uint(n: number): void {
    if (n >>> 0 === n) {
      // The common case, with 32-bit operations.
      this.room(5);
      while (n >= 0x80) {
        this.buf[this.len++] = (n & 0x7f) | 0x80;
        n >>>= 7;
      }
      this.buf[this.len++] = n;
      return;
    }
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varint: ${n} is not a non-negative safe integer`);
    this.room(MAX_VARINT_BYTES);
    while (n >= 0x80) {
      this.buf[this.len++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.len++] = n;
  }

  /** Appends a signed integer of magnitude below 2^52 (zigzag: 0, −1, 1, −2, … as 0, 1, 2, 3, …). */
  int(n: number): void {
    if (!Number.isInteger(n) || Math.abs(n) >= 2 ** 52) throw new RangeError(`varint: ${n} is not an integer of magnitude below 2^52`);
    this.uint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  /** Appends one byte (0…255). */
  byte(n: number): void {
    this.room(1);
    this.buf[this.len++] = n & 0xff;
  }

  /** Appends a string's UTF-16 code units from `from` on, after their count: any string round-trips, lone surrogates included. ASCII takes a byte a character. */
  str(s: string, from = 0): void {
    const n = s.length - from;
    this.uint(n);
    // A code unit takes one byte when ASCII, at most three otherwise (0xffff < 2^21).
    this.room(3 * n);
    for (let i = from; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) this.buf[this.len++] = c;
      else this.uint(c);
    }
  }

  /** Appends raw bytes. */
  raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  /** The bytes written (a copy trimmed to length). */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Reads what a ByteWriter wrote, in order. Reading past the end, or a malformed varint, throws a RangeError. */
export class ByteReader {
  private pos: number;
  /** The code units of the last string read (for front coding), and how many there are. */
  private units = new Uint16Array(64);
  private lastLength = 0;

  /** Reads `buf` from byte `start`. */
  constructor(
    private readonly buf: Uint8Array,
    start = 0,
  ) {
    this.pos = start;
  }

  /** The next byte to read. */
  get offset(): number {
    return this.pos;
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.buf.length - this.pos;
  }

  /** True when every byte has been read. */
  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** Reads a non-negative integer. */
  uint(): number {
    const buf = this.buf;
    const first = buf[this.pos];
    if (first !== undefined && first < 0x80) {
      this.pos++;
      return first; // most values fit one byte
    }
    let result = 0;
    let scale = 1;
    for (let k = 0; k < MAX_VARINT_BYTES; k++) {
      const b = buf[this.pos++];
      if (b === undefined) throw new RangeError('varint: read past the end');
      result += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (!Number.isSafeInteger(result)) break;
        return result;
      }
      scale *= 0x80;
    }
    throw new RangeError(`varint: malformed at byte ${this.pos}`);
  }

  /** Reads one byte. */
  byte(): number {
    const b = this.buf[this.pos++];
    if (b === undefined) throw new RangeError('byte: read past the end');
    return b;
  }

  /** Reads a string `str` wrote (without disturbing `strAfter`'s front coding). */
  str(): string {
    const n = this.uint();
    if (n > this.buf.length - this.pos) throw new RangeError(`string of ${n} code units: read past the end`);
    const units: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = this.uint();
      if (c > 0xffff) throw new RangeError(`code unit ${c} is above 0xffff`);
      units.push(c);
    }
    let s = '';
    for (let i = 0; i < n; i += STRING_CHUNK) s += String.fromCharCode.apply(null, units.slice(i, i + STRING_CHUNK));
    return s;
  }

  /**
   * Reads a string `str` wrote and returns it after the first `shared` code units of the
   * string this method returned before (`str` does not count) (front coding: `str(s, shared)` wrote the rest).
   * Throws a RangeError when the string before is shorter than `shared`.
   */
  strAfter(shared: number): string {
    const n = this.uint();
    if (shared > this.lastLength) throw new RangeError(`a string shares ${shared} code units with one of ${this.lastLength}`);
    if (n > this.buf.length - this.pos) throw new RangeError(`string of ${n} code units: read past the end`);
    const len = shared + n;
    if (len > this.units.length) {
      const more = new Uint16Array(Math.max(len, this.units.length * 2));
      more.set(this.units.subarray(0, shared));
      this.units = more;
    }
    const units = this.units;
    const buf = this.buf;
    for (let i = shared; i < len; i++) {
      const b = buf[this.pos]!;
      if (b < 0x80) {
        this.pos++;
        units[i] = b;
      } else {
        const c = this.uint();
        if (c > 0xffff) throw new RangeError(`code unit ${c} is above 0xffff`);
        units[i] = c;
      }
    }
    this.lastLength = len;
    let s = '';
    for (let i = 0; i < len; i += STRING_CHUNK) s += String.fromCharCode.apply(null, units.subarray(i, Math.min(len, i + STRING_CHUNK)) as unknown as number[]);
    return s;
  }

  /** Reads a zigzag signed integer (what `ByteWriter.int` wrote). */
  int(): number {
    const z = this.uint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** Reads the next `n` bytes (a view, not a copy). */
  take(n: number): Uint8Array {
    if (!(n >= 0) || this.pos + n > this.buf.length) throw new RangeError('bytes: read past the end');
    const part = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return part;
  }
}
