import { isUtf8 } from 'node:buffer';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { openByteSource, openFileFrom, type ByteSource } from './byteSource.js';
import { InputError } from './inputError.js';

/** Lines read from a file: `text[i]` is line `first + i` (1-based), without its line end. */
export interface LineChunk {
  readonly first: number;
  readonly text: readonly string[];
  /** True on the last chunk when the file's last line had no line end (a writer may have stopped mid-line). */
  readonly unterminated: boolean;
  /**
   * With `offsets`: the byte offset in the file of each line's first byte, and one more entry,
   * the offset just past the chunk's last line end (where the next line begins); on an
   * unterminated last line, just past its last whole character.
   */
  readonly offsets?: readonly number[];
}

/** Where in a file to start reading: a byte offset at the start of a line, and that line's number. */
export interface LinePosition {
  /** Byte offset of the line's first byte. */
  readonly offset: number;
  /** Its line number (1-based). */
  readonly line: number;
}

/** Options of `readLines`. */
export interface ReadLinesOptions {
  /** The longest line accepted, in bytes; longer is an InputError. Default 16 MiB. */
  readonly maxLineBytes?: number;
  /**
   * Bytes read at a time. Default 64 KiB: a chunk's lines, and what a reader parses from
   * them, stay alive until the chunk is used up; at 1 MiB every scavenge found thousands of
   * them alive and moved them to old space (more than half of a long run's scavenging).
   */
  readonly chunkBytes?: number;
  /** The file's name in error messages, as the user gave it (default: the path opened). */
  readonly displayName?: string;
  /**
   * Told after every read: bytes read so far and the file's size (for a progress bar); the
   * size is 0 when it is not known (a pipe, standard input).
   */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Accept a file with nothing but white space in it (default false: such a file is an InputError `empty file`). */
  readonly allowEmpty?: boolean;
  /**
   * Start here instead of at the file's beginning (an offset a reader reported before, at the
   * start of a line): nothing before it is read, and a file with nothing but white space from
   * there on is not refused as empty.
   */
  readonly start?: LinePosition;
  /** Report each line's byte offset (`LineChunk.offsets`). */
  readonly offsets?: boolean;
}

/** The longest line any reader accepts by default, in bytes. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

const NL = 0x0a;
/**
 * How long reading a regular file goes on without letting the event loop run, in ms. A
 * regular file's chunks are read synchronously: an asynchronous read of each 64 KiB chunk
 * cost a whole run 10 % more CPU (a round trip through libuv's thread pool per chunk), and
 * nothing else waits on the file.
 */
const YIELD_MS = 25;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Streams a text file as chunks of lines, never holding more than one chunk and one line in
 * memory (a line longer than the limit is refused as soon as the limit is passed, without
 * reading the rest of it). Accepts LF and CRLF line ends and skips a UTF-8 byte order mark.
 *
 * `path` may name a pipe, a FIFO or standard input (`/dev/stdin`, also when it is a socket;
 * see `openByteSource`): the lines are read as they come, once.
 *
 * Every problem is an InputError naming the file (line 0: the whole file) and line:
 * - a missing file, a directory, a file that cannot be read;
 * - an empty file (nothing but white space), unless `allowEmpty`;
 * - binary data (a NUL byte), UTF-16 text, bytes that are not UTF-8 — text is never
 *   decoded with replacement characters, so no two distinct inputs read the same. Only the
 *   last line of a file without a final line end may end in a cut-off UTF-8 sequence
 *   (a writer stopped mid-character); that partial character is dropped and the chunk is
 *   marked `unterminated`, for the format's reader to judge;
 * - a line longer than `maxLineBytes`.
 *
 * The event loop runs between chunks (a regular file's: at least every 25 ms), so signals
 * are handled while a long file is read.
 */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<LineChunk> {
  const file = options.displayName ?? path;
  const maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
  const chunkBytes = Math.max(4, options.chunkBytes ?? 1 << 16);
  const tooLong = (line: number) => new InputError(file, line, `line is longer than ${maxLine} bytes (is this a text trace or log?)`);
  let source: ByteSource;
  try {
    source = options.start !== undefined && options.start.offset > 0 ? await openFileFrom(path, options.start.offset) : await openByteSource(path);
  } catch (e) {
    throw new InputError(file, 0, describeFsError(e));
  }
  const totalBytes = source.size;
  try {
    const buf = Buffer.allocUnsafe(chunkBytes);
    const start = options.start ?? { offset: 0, line: 1 };
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let lineNo = start.line;
    let bytesRead = start.offset;
    /** The file offset of the first byte of `pending` (of the line being read). */
    let lineStart = start.offset;
    let blank = start.offset === 0;
    let ranLoop = performance.now();
    for (;;) {
      if (source.readNow !== undefined && performance.now() - ranLoop >= YIELD_MS) {
        await nextTurn();
        ranLoop = performance.now();
      }
      let n: number;
      try {
        n = source.readNow !== undefined ? source.readNow(buf) : await source.read(buf);
      } catch (e) {
        throw new InputError(file, lineNo, describeFsError(e));
      }
      if (n === 0) break;
      let data = buf.subarray(0, n);
      if (bytesRead === 0) {
        checkStart(data, file);
        if (data.subarray(0, 3).equals(UTF8_BOM)) {
          data = data.subarray(3);
          lineStart = 3;
        }
      }
      bytesRead += n;
      options.onProgress?.(bytesRead, totalBytes > 0 ? Math.max(totalBytes, bytesRead) : 0);
      const nul = data.indexOf(0);
      if (nul >= 0) throw new InputError(file, lineNo + countNewlines(data, nul), 'binary data (a NUL byte): not a text file');
      if (blank && !isBlank(data)) blank = false;
      const lastNl = data.lastIndexOf(NL);
      if (lastNl < 0) {
        pendingBytes += data.length;
        if (pendingBytes > maxLine) throw tooLong(lineNo);
        pending.push(Buffer.from(data));
        continue;
      }
      const head = pending.length > 0 ? Buffer.concat([...pending, data.subarray(0, lastNl)]) : data.subarray(0, lastNl);
      if (!isUtf8(head)) throw new InputError(file, lineNo + firstBadUtf8Line(head), 'not UTF-8 text (a byte sequence that is not UTF-8)');
      const whole = head.toString('utf8');
      const text = whole.split('\n');
      // Each line's offset from the lengths of the lines before it: in bytes, which are its
      // UTF-16 code units when the text is ASCII (one byte a character).
      const offsets = options.offsets ? new Array<number>(text.length + 1) : undefined;
      const ascii = whole.length === head.length;
      let at = lineStart;
      for (let i = 0; i < text.length; i++) {
        const t = text[i]!;
        if (t.length * 3 > maxLine && Buffer.byteLength(t) > maxLine) throw tooLong(lineNo + i);
        if (offsets !== undefined) {
          offsets[i] = at;
          at += (ascii ? t.length : Buffer.byteLength(t)) + 1;
        }
        if (t.endsWith('\r')) text[i] = t.slice(0, -1);
      }
      if (offsets !== undefined) offsets[text.length] = at;
      const first = lineNo;
      lineNo += text.length;
      lineStart = bytesRead - (data.length - lastNl - 1);
      pending = lastNl + 1 < data.length ? [Buffer.from(data.subarray(lastNl + 1))] : [];
      pendingBytes = data.length - lastNl - 1;
      if (pendingBytes > maxLine) throw tooLong(lineNo);
      yield offsets === undefined ? { first, text, unterminated: false } : { first, text, unterminated: false, offsets };
    }
    if (blank && !options.allowEmpty) throw new InputError(file, 0, bytesRead === 0 ? 'empty file' : 'empty file (nothing but white space)');
    if (pendingBytes > 0) {
      let last = Buffer.concat(pending);
      if (!isUtf8(last)) {
        // A writer that stopped mid-character leaves 1–3 bytes of a UTF-8 sequence at the end.
        const cut = cutOffTail(last);
        if (cut === 0 || !isUtf8(last.subarray(0, last.length - cut))) throw new InputError(file, lineNo, 'not UTF-8 text (a byte sequence that is not UTF-8)');
        last = last.subarray(0, last.length - cut);
      }
      let t = last.toString('utf8');
      if (t.endsWith('\r')) t = t.slice(0, -1);
      yield options.offsets ? { first: lineNo, text: [t], unterminated: true, offsets: [lineStart, lineStart + last.length] } : { first: lineNo, text: [t], unterminated: true };
    }
  } finally {
    await source.close().catch(() => undefined);
  }
}

/** Refuses text in an encoding lmm does not read, told by its byte order mark. */
function checkStart(data: Buffer, file: string): void {
  if (data.length >= 2 && ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff))) {
    throw new InputError(file, 1, 'UTF-16 text: lmm reads UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8)');
  }
}

function countNewlines(data: Buffer, end: number): number {
  let count = 0;
  for (let i = data.indexOf(NL); i >= 0 && i < end; i = data.indexOf(NL, i + 1)) count++;
  return count;
}

/** True when every byte is white space (space, tab, CR, LF, VT, FF). */
function isBlank(data: Buffer): boolean {
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b !== 0x20 && (b < 0x09 || b > 0x0d)) return false;
  }
  return true;
}

/** The 0-based line (within `head`) of the first byte sequence that is not UTF-8. */
function firstBadUtf8Line(head: Buffer): number {
  let line = 0;
  let start = 0;
  for (;;) {
    const nl = head.indexOf(NL, start);
    const end = nl < 0 ? head.length : nl;
    if (!isUtf8(head.subarray(start, end)) || nl < 0) return line;
    line++;
    start = nl + 1;
  }
}

/** The length (1–3) of an incomplete UTF-8 sequence ending `data`, or 0. */
function cutOffTail(data: Buffer): number {
  for (let k = 1; k <= 3 && k <= data.length; k++) {
    const b = data[data.length - k]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

function describeFsError(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'no such file (a part of the path is not a directory)';
    case 'ENAMETOOLONG':
      return 'the file name is too long';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ESPIPE':
      return 'this needs a file it can seek in, not a pipe or standard input: save the input to a file first';
    default:
      return `cannot read (${code ?? (e as Error).message})`;
  }
}
