/**
 * Variable-length integers (LEB128, 7 bits a byte, low bits first) for the viewer's compact
 * fact columns. Works for every non-negative safe integer (arithmetic, not 32-bit bit
 * operations), and zigzag for signed ones. Runs in Node and in the browser.
 */

/** A growable byte buffer written as varints. */
export class ByteWriter {
  private buf = new Uint8Array(1024);
  private len = 0;

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
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varint: ${n} is not a non-negative safe integer`);
    this.room(8);
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

  /** The bytes written (a copy trimmed to length). */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Reads what a ByteWriter wrote, in order. Reading past the end throws a RangeError. */
export class ByteReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

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
    const first = this.buf[this.pos];
    if (first !== undefined && first < 0x80) {
      this.pos++;
      return first; // most values fit one byte
    }
    let result = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new RangeError('varint: read past the end');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
  }

  /** Reads a zigzag signed integer. */
  int(): number {
    const z = this.uint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** Reads the next `n` bytes (a view, not a copy). */
  take(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new RangeError('bytes: read past the end');
    const part = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return part;
  }

  /** Reads one byte. */
  byte(): number {
    if (this.pos >= this.buf.length) throw new RangeError('byte: read past the end');
    return this.buf[this.pos++]!;
  }
}
