import { readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';

/** Where a reader's bytes come from: an open file, a pipe, a terminal or a socket. */
export interface ByteSource {
  /** The file's size in bytes when it is a regular file; 0 when it is not known (a pipe, a socket, a terminal). */
  readonly size: number;
  /** Reads up to `buf.length` bytes into `buf`; resolves to the count, 0 at the end. Reads are sequential (no seeking). */
  read(buf: Buffer): Promise<number>;
  /**
   * `read` done synchronously, present only for a regular file (whose reads never wait on a
   * writer): no round trip through the thread pool. The caller lets the event loop run now
   * and then. Reads are shared with `read`.
   */
  readonly readNow?: (buf: Buffer) => number;
  /** Closes the source; reading further is a mistake. Safe to call twice. */
  close(): Promise<void>;
}

/** `/dev/stdin`, `/dev/fd/N` and `/proc/self/fd/N`: names of this process's own file descriptors. */
const DESCRIPTOR_PATH = /^\/(?:dev\/(?:stdin|fd\/(\d+))|proc\/self\/fd\/(\d+))$/;

/**
 * Opens `path` for reading from the start. A directory is refused (error code `EISDIR`).
 *
 * Standard input (`/dev/stdin`, `/dev/fd/0`, `/proc/self/fd/0`) is read through
 * `process.stdin`, whatever it is (a pipe, a file, a terminal, a socket): so what a caller
 * has already read from `process.stdin` and put back (`unshift`) is read first, and a
 * socket — which Linux cannot open by name (ENXIO), as the standard input of a process
 * started by Node's `child_process` is — reads too. Another descriptor's name that is a
 * socket is read through the descriptor itself. Errors are Node's file system errors (with
 * a `code`), for the caller to describe.
 */
export async function openByteSource(path: string): Promise<ByteSource> {
  if (descriptorOf(path) === 0) return streamSource(process.stdin);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    const fd = descriptorOf(path);
    if ((e as NodeJS.ErrnoException).code !== 'ENXIO' || fd === undefined) throw e;
    return streamSource(new Socket({ fd, readable: true, writable: false }));
  }
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const size = st.isFile() ? st.size : 0;
    let closed = false;
    return {
      size,
      read: async (buf) => (await handle.read(buf, 0, buf.length, null)).bytesRead,
      ...(st.isFile() ? { readNow: (buf: Buffer) => readSync(handle.fd, buf, 0, buf.length, null) } : {}),
      close: async () => {
        if (closed) return;
        closed = true;
        await handle.close();
      },
    };
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw e;
  }
}

/** The descriptor a path names (`/dev/stdin` → 0), or undefined for any other path. */
function descriptorOf(path: string): number | undefined {
  const m = DESCRIPTOR_PATH.exec(path);
  if (m === null) return undefined;
  return Number(m[1] ?? m[2] ?? 0);
}

/** A readable stream as a ByteSource: its chunks handed out in pieces of at most `buf.length` bytes. */
function streamSource(stream: Readable): ByteSource {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  let rest: Buffer = Buffer.alloc(0);
  let ended = false;
  return {
    size: 0,
    read: async (buf) => {
      while (rest.length === 0 && !ended) {
        const next = await chunks.next();
        if (next.done) ended = true;
        else rest = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      }
      const n = rest.copy(buf, 0, 0, Math.min(rest.length, buf.length));
      rest = rest.subarray(n);
      return n;
    },
    close: async () => {
      if (ended) return;
      ended = true;
      // Stops reading: a stream left open would keep the process alive.
      await chunks.return?.();
      stream.destroy();
    },
  };
}

/**
 * Opens the regular file `path` for reading from byte `start` on (a fact log read from a
 * position its index recorded). Anything but a regular file cannot be read from its middle:
 * an error with code `ESPIPE`; a directory is refused (`EISDIR`). `size` is the whole file's.
 */
export async function openFileFrom(path: string, start: number): Promise<ByteSource> {
  const handle = await open(path, 'r');
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!st.isFile()) throw Object.assign(new Error('cannot read from the middle of what is not a regular file'), { code: 'ESPIPE' });
    let position = start;
    let closed = false;
    return {
      size: st.size,
      read: async (buf) => {
        const { bytesRead } = await handle.read(buf, 0, buf.length, position);
        position += bytesRead;
        return bytesRead;
      },
      close: async () => {
        if (closed) return;
        closed = true;
        await handle.close();
      },
    };
  } catch (e) {
    await handle.close();
    throw e;
  }
}
