import { open } from 'node:fs/promises';
import { InputError } from './inputError';

/** Lines read from a file: `text[i]` is line `first + i` (1-based), without its line end. */
export interface LineChunk {
  readonly first: number;
  readonly text: readonly string[];
  /** True on the last chunk when the file's last line had no line end (a writer may have stopped mid-line). */
  readonly unterminated: boolean;
}

/** Options of `readLines`. */
export interface ReadLinesOptions {
  /** The longest line accepted, in bytes; longer is an InputError. Default 16 MiB. */
  readonly maxLineBytes?: number;
  /** Bytes read at a time. Default 1 MiB. */
  readonly chunkBytes?: number;
  /** The file's name in error messages, as the user gave it (default: the path opened). */
  readonly displayName?: string;
  /** Told after every read: bytes read so far and the file's size (for a progress bar). */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** The longest line any reader accepts by default, in bytes. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Streams a text file as chunks of lines, never holding more than one chunk and one line in
 * memory. Accepts LF and CRLF line ends. A missing file, a directory, or a line longer than
 * the limit is an InputError naming the file (and line). Between chunks the event loop runs,
 * so signals are handled while a long file is read.
 */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<LineChunk> {
  const file = options.displayName ?? path;
  const maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  let handle;
  let totalBytes = 0;
  try {
    handle = await open(path, 'r');
    const st = await handle.stat();
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    totalBytes = st.size;
  } catch (e) {
    await handle?.close();
    throw new InputError(file, 0, describeFsError(e));
  }
  try {
    const buf = Buffer.allocUnsafe(chunkBytes);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let lineNo = 1;
    let bytesRead = 0;
    for (;;) {
      let n: number;
      try {
        ({ bytesRead: n } = await handle.read(buf, 0, chunkBytes, null));
      } catch (e) {
        throw new InputError(file, lineNo, describeFsError(e));
      }
      if (n === 0) break;
      bytesRead += n;
      options.onProgress?.(bytesRead, Math.max(totalBytes, bytesRead));
      const lastNl = buf.lastIndexOf(10, n - 1);
      if (lastNl < 0) {
        pendingBytes += n;
        if (pendingBytes > maxLine) throw new InputError(file, lineNo, `line is longer than ${maxLine} bytes`);
        pending.push(Buffer.from(buf.subarray(0, n)));
        continue;
      }
      const head = pending.length > 0 ? Buffer.concat([...pending, buf.subarray(0, lastNl)]) : buf.subarray(0, lastNl);
      const text = head.toString('utf8').split('\n');
      for (let i = 0; i < text.length; i++) {
        const t = text[i]!;
        if (t.length > maxLine) throw new InputError(file, lineNo + i, `line is longer than ${maxLine} bytes`);
        if (t.endsWith('\r')) text[i] = t.slice(0, -1);
      }
      const first = lineNo;
      lineNo += text.length;
      pending = lastNl + 1 < n ? [Buffer.from(buf.subarray(lastNl + 1, n))] : [];
      pendingBytes = n - lastNl - 1;
      if (pendingBytes > maxLine) throw new InputError(file, lineNo, `line is longer than ${maxLine} bytes`);
      yield { first, text, unterminated: false };
    }
    if (pendingBytes > 0) {
      let t = Buffer.concat(pending).toString('utf8');
      if (t.endsWith('\r')) t = t.slice(0, -1);
      yield { first: lineNo, text: [t], unterminated: true };
    }
  } finally {
    await handle.close();
  }
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
    default:
      return `cannot read (${code ?? (e as Error).message})`;
  }
}
