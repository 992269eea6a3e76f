import { open, stat, type FileHandle } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { decodeState, type HeapState } from '@lmm/core';
import { float64s, sha256 } from './indexBuilder.js';
import {
  decodeFooter,
  decodeTrailer,
  HASH_BYTES,
  INDEX_FOOTER_BYTES,
  INDEX_PREAMBLE_BYTES,
  isIndexPreamble,
  type CheckpointEntry,
  type IndexSource,
  type IndexTrailer,
  type Section,
} from './indexFormat.js';

/** Reads `length` bytes at `at` of some storage (an index file, or an index held in memory). */
export type ReadBytes = (at: number, length: number) => Promise<Uint8Array>;

/** The index of a log named `LOG`: `LOG.idx`. */
export function indexPathOf(logPath: string): string {
  return `${logPath}.idx`;
}

/** Why an index was not used (for messages): it is missing, unreadable, not an index, damaged, or not the log's. */
export class IndexUnusable extends Error {
  override readonly name = 'IndexUnusable';
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Reads a byte range of an open file (the whole range, or throws when the file is shorter). */
export async function readRange(handle: FileHandle, at: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buf, got, length - got, at + got);
    if (bytesRead === 0) throw new IndexUnusable(`the file ends before byte ${at + length}`);
    got += bytesRead;
  }
  return buf;
}

/** A file's modification time in whole microseconds (as an index records it), from its status read with `bigint: true`. */
export function mtimeUs(st: { readonly mtimeNs: bigint }): number {
  return Number(st.mtimeNs / 1000n);
}

/**
 * What the log at `path` is, in the terms an index records (`IndexSource`): its size, its
 * modification time and the hashes of the bytes before its first command (`headerEnd`; the
 * whole log when it has none) and from its last whole command (`lastStart`, `headerEnd` when
 * none) to its end.
 */
export async function logSource(path: string, headerEnd: number | undefined, lastStart: number | undefined, cut: IndexSource['cut']): Promise<IndexSource> {
  const handle = await open(path, 'r');
  try {
    const st = await handle.stat({ bigint: true });
    const size = Number(st.size);
    const end = headerEnd ?? size;
    const last = lastStart ?? end;
    const headerHash = sha256(await readRange(handle, 0, end));
    const lastHash = sha256(await readRange(handle, last, size - last));
    return { logBytes: size, mtimeUs: mtimeUs(st), headerEnd: end, headerHash, lastStart: last, lastHash, cut };
  } finally {
    await handle.close();
  }
}

/**
 * An opened, checked index: its trailer, offsets table and series in memory, its checkpoint
 * blobs read on demand (each checked against its hash). Opening checks the index itself
 * (`IndexUnusable` when it is not a whole, undamaged index of this version); `matches` checks
 * it against the log.
 */
export class LogIndex {
  private constructor(
    readonly trailer: IndexTrailer,
    /** Byte offset in the log of commands 1, 1 + stride, … (`trailer.offsets.stride`), the line each begins on and the facts before each, in threes. */
    readonly offsets: Float64Array,
    /** min live, max live, min pages, max pages per bucket of `trailer.series.bucket` commands. */
    readonly series: Float64Array,
    private readonly read: ReadBytes,
    private readonly closeStorage: () => Promise<void>,
  ) {}

  /** Opens the index file at `path`; `IndexUnusable` when it is missing or not a sound index. */
  static async openFile(path: string): Promise<LogIndex> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (e) {
      throw new IndexUnusable((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is none' : `it cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      const { size } = await handle.stat();
      return await LogIndex.load(size, (at, length) => readRange(handle, at, length), () => handle.close());
    } catch (e) {
      await handle.close().catch(() => undefined);
      throw e;
    }
  }

  /** An index held in memory (built for one run where the log's directory is not writable). */
  static async fromBytes(bytes: Uint8Array): Promise<LogIndex> {
    return LogIndex.load(
      bytes.length,
      async (at, length) => {
        if (at + length > bytes.length) throw new IndexUnusable(`the index ends before byte ${at + length}`);
        return bytes.subarray(at, at + length);
      },
      async () => undefined,
    );
  }

  private static async load(size: number, read: ReadBytes, close: () => Promise<void>): Promise<LogIndex> {
    if (size < INDEX_PREAMBLE_BYTES + INDEX_FOOTER_BYTES) throw new IndexUnusable('it is too short to be an index');
    if (!isIndexPreamble(await read(0, INDEX_PREAMBLE_BYTES))) throw new IndexUnusable('it is not an index of this version');
    const footer = decodeFooter(await read(size - INDEX_FOOTER_BYTES, INDEX_FOOTER_BYTES));
    if (footer === undefined || footer.at + footer.length !== size - INDEX_FOOTER_BYTES) throw new IndexUnusable('it is cut off or damaged (no footer)');
    const trailerBytes = await read(footer.at, footer.length);
    if (!equalBytes(sha256(trailerBytes), footer.hash)) throw new IndexUnusable('it is damaged (trailer hash)');
    let trailer: IndexTrailer;
    try {
      trailer = decodeTrailer(trailerBytes);
    } catch (e) {
      throw new IndexUnusable(`it is damaged (${(e as Error).message})`);
    }
    const section = async (s: Section, what: string): Promise<Uint8Array> => {
      if (s.at + s.length > footer.at) throw new IndexUnusable(`it is damaged (${what} out of place)`);
      const bytes = await read(s.at, s.length);
      if (!equalBytes(sha256(bytes), s.hash)) throw new IndexUnusable(`it is damaged (${what} hash)`);
      return bytes;
    };
    const offsets = float64s(await section(trailer.offsets.section, 'offsets'));
    const series = float64s(await section(trailer.series.section, 'series'));
    if (offsets.length !== 3 * trailer.offsets.count || series.length !== 4 * trailer.series.count) throw new IndexUnusable('it is damaged (section lengths)');
    if (trailer.offsets.count !== Math.ceil(trailer.summary.commands / trailer.offsets.stride)) throw new IndexUnusable('it is damaged (offsets count)');
    return new LogIndex(trailer, offsets, series, read, close);
  }

  /**
   * Checks the index against the log at `path`: same size, same modification time, same header
   * bytes, same last command bytes. Throws `IndexUnusable` saying what differs.
   */
  async matches(path: string): Promise<void> {
    const s = this.trailer.source;
    const st = await stat(path, { bigint: true });
    if (Number(st.size) !== s.logBytes) throw new IndexUnusable(`the log is ${st.size} bytes, the index is of ${s.logBytes}`);
    if (mtimeUs(st) !== s.mtimeUs) throw new IndexUnusable('the log was written after it');
    if (s.headerEnd > s.lastStart || s.lastStart > s.logBytes) throw new IndexUnusable('it is damaged (source ranges)');
    const now = await logSource(path, s.headerEnd, s.lastStart, s.cut);
    if (!equalBytes(now.headerHash, s.headerHash)) throw new IndexUnusable('the log has another header');
    if (!equalBytes(now.lastHash, s.lastHash)) throw new IndexUnusable('the log has another last command');
  }

  /** The last checkpoint at or before command `cmd`, or undefined when there is none (fold from the empty heap). */
  checkpointAtOrBefore(cmd: number): CheckpointEntry | undefined {
    const cps = this.trailer.checkpoints;
    let lo = 0;
    let hi = cps.length - 1;
    let found: CheckpointEntry | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cps[mid]!.cmd <= cmd) {
        found = cps[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** The state a checkpoint holds, read and checked against its hash. */
  async state(cp: CheckpointEntry): Promise<HeapState> {
    const bytes = await this.read(cp.blob.at, cp.blob.length);
    if (cp.blob.hash.length !== HASH_BYTES || !equalBytes(sha256(bytes), cp.blob.hash)) throw new IndexUnusable(`it is damaged (the checkpoint of command ${cp.cmd})`);
    try {
      return decodeState(cp.encoding === 1 ? inflateRawSync(bytes) : bytes);
    } catch (e) {
      throw new IndexUnusable(`it is damaged (the checkpoint of command ${cp.cmd}: ${(e as Error).message})`);
    }
  }

  /**
   * Where the entry of the offsets table at or before command `cmd` (1 … commands) is: that
   * entry's command and where it begins in the log (byte offset, line, facts before it). For
   * a command 1 + k·stride, the command itself.
   */
  entryAtOrBefore(cmd: number): { cmd: number; offset: number; line: number; seq: number } {
    const stride = this.trailer.offsets.stride;
    const k = Math.floor((cmd - 1) / stride);
    if (k < 0 || k >= this.trailer.offsets.count) throw new IndexUnusable(`it has no entry for command ${cmd}`);
    return { cmd: k * stride + 1, offset: this.offsets[3 * k]!, line: this.offsets[3 * k + 1]!, seq: this.offsets[3 * k + 2]! };
  }

  /** A command at or before the one whose lines hold byte `offset` of the log, at most a stride before it: that of the last entry beginning at or before it (1 when none). */
  commandAtOrBefore(offset: number): number {
    const { stride, count } = this.trailer.offsets;
    let lo = 0;
    let hi = count - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[3 * mid]! <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found * stride + 1;
  }

  /** Releases the index file. */
  close(): Promise<void> {
    return this.closeStorage();
  }
}
