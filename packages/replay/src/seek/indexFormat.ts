import { ByteReader, ByteWriter } from '@lmm/core';

/**
 * A fact log's index (`LOG.idx` beside `LOG`): what makes a fact log seekable without folding
 * it first. All integers are little-endian; "varint" is LEB128 (7 bits a byte, low first).
 *
 * ```
 * offset 0   magic "LMM-IDX\n" (8 bytes) · format version (u32) · 0 (u32)
 * 16         checkpoint blobs, back to back: each an encoded state (`encodeState`), raw or
 *            deflated (RFC 1951, no zlib header)
 *            the offsets table: three float64 per stride-th command (commands 1, 1 + stride,
 *            1 + 2·stride, …): the byte offset in the log of that command's first fact line,
 *            that line's number, and the facts before it
 *            the series: four float64 per bucket of commands — min and max live bytes, min
 *            and max pages in use over the bucket's commands
 *            the trailer (varints, below)
 * end − 48   the footer: trailer offset (float64) · trailer length (u32) · SHA-256 of the
 *            trailer (32 bytes) · "LMMX" (4 bytes)
 * ```
 *
 * The trailer, in order (a hash is 32 raw bytes of SHA-256):
 * - the format version again;
 * - **what the index was built from**: the log's size in bytes and its modification time (in
 *   µs); where its first command begins (the log's size when it has none) and the hash of
 *   the bytes before — the header line; where its last whole command begins (the same, when
 *   none) and the hash of the bytes from there to the end; and, for a log whose last line
 *   was cut off, the cut line and the warning a reader gives;
 * - **the summary**: commands, facts, and the peaks of SPEC §3 — peak live bytes and peak
 *   pages in use (peak heap bytes = pages × pageSize), each with the first command after
 *   which it was reached;
 * - the offsets table: stride, entries, position, length, hash;
 * - the series: commands per bucket, buckets, position, length, hash;
 * - the checkpoints, by command: command; the blob's position, length, encoding (0 raw, 1
 *   deflated) and hash; the peaks over commands 1 … command (as in the summary). Every
 *   checkpoint but one of the last command is at a multiple of the stride, so the log goes
 *   on after it at an entry of the offsets table. The state before command 1 is the empty
 *   heap of the log's header: not stored.
 *
 * An index is used only when everything checks: magic, version, the footer's trailer hash,
 * the offsets' and series' hashes, each checkpoint's hash when it is read — and the log
 * itself: same size, same modification time, same header bytes, same last command bytes.
 * Anything else (a stale index of a log that grew or was rewritten, a foreign one, a
 * truncated or edited one) is not trusted: the index is built again from the log.
 */
export const INDEX_MAGIC = 'LMM-IDX\n';
/** The index format this build reads and writes. */
export const INDEX_VERSION = 1;
/** Bytes before the first checkpoint blob. */
export const INDEX_PREAMBLE_BYTES = 16;
/** Bytes of the footer. */
export const INDEX_FOOTER_BYTES = 48;
const FOOTER_MAGIC = 'LMMX';
/** Bytes of a hash (SHA-256). */
export const HASH_BYTES = 32;

/** What an index was built from, checked against the log before the index is used. */
export interface IndexSource {
  /** The log's size in bytes. */
  readonly logBytes: number;
  /** The log's modification time, in whole microseconds since 1970. */
  readonly mtimeUs: number;
  /** Where the first command's first fact line begins (`logBytes` for a log of no commands): the header line and any blank lines are before it. */
  readonly headerEnd: number;
  /** SHA-256 of bytes 0 … headerEnd. */
  readonly headerHash: Uint8Array;
  /** Where the last whole command's first fact line begins (`headerEnd` for a log of no commands). */
  readonly lastStart: number;
  /** SHA-256 of bytes lastStart … logBytes. */
  readonly lastHash: Uint8Array;
  /** A cut-off last line: where, and the warning a reader gives about it. Null when the log ends with a whole line. */
  readonly cut: { readonly line: number; readonly warning: string } | null;
}

/** A peak and the first command after which it was reached (0: none yet). */
export interface PeakAt {
  readonly liveBytes: number;
  readonly liveCmd: number;
  readonly pages: number;
  readonly pagesCmd: number;
}

/** The whole log in figures. */
export interface IndexSummary {
  readonly commands: number;
  readonly facts: number;
  readonly peak: PeakAt;
}

/** Where a section of the index file is, and its hash. */
export interface Section {
  readonly at: number;
  readonly length: number;
  readonly hash: Uint8Array;
}

/** A persisted checkpoint: the state after `cmd` (a multiple of the offsets table's stride, or the log's last command). */
export interface CheckpointEntry {
  readonly cmd: number;
  /** The encoded state in the index file. */
  readonly blob: Section;
  /** 0: raw `encodeState` bytes; 1: deflated. */
  readonly encoding: 0 | 1;
  /** The peaks over commands 1 … cmd. */
  readonly peak: PeakAt;
}

/** The trailer: everything about the index except the big arrays and blobs it points to. */
export interface IndexTrailer {
  readonly source: IndexSource;
  readonly summary: IndexSummary;
  /** Commands between offsets-table entries, entries (of three float64: byte offset, line, facts before), and the table. */
  readonly offsets: { readonly stride: number; readonly count: number; readonly section: Section };
  /** Commands per series bucket, buckets, and the series. */
  readonly series: { readonly bucket: number; readonly count: number; readonly section: Section };
  readonly checkpoints: readonly CheckpointEntry[];
}

/** The first 16 bytes of an index. */
export function indexPreamble(): Uint8Array {
  const b = new Uint8Array(INDEX_PREAMBLE_BYTES);
  b.set(new TextEncoder().encode(INDEX_MAGIC));
  new DataView(b.buffer).setUint32(8, INDEX_VERSION, true);
  return b;
}

/** True when `bytes` (the first 16 of a file) start an index of this version. */
export function isIndexPreamble(bytes: Uint8Array): boolean {
  if (bytes.length < INDEX_PREAMBLE_BYTES || new TextDecoder().decode(bytes.subarray(0, 8)) !== INDEX_MAGIC) return false;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true) === INDEX_VERSION;
}

function writeHash(w: ByteWriter, hash: Uint8Array): void {
  if (hash.length !== HASH_BYTES) throw new RangeError(`a hash of ${hash.length} bytes`);
  w.raw(hash);
}

function writeSection(w: ByteWriter, s: Section): void {
  w.uint(s.at);
  w.uint(s.length);
  writeHash(w, s.hash);
}

function writePeak(w: ByteWriter, p: PeakAt): void {
  w.uint(p.liveBytes);
  w.uint(p.liveCmd);
  w.uint(p.pages);
  w.uint(p.pagesCmd);
}

/** The trailer as bytes. */
export function encodeTrailer(t: IndexTrailer): Uint8Array {
  const w = new ByteWriter(256 + t.checkpoints.length * 64);
  w.uint(INDEX_VERSION);
  const s = t.source;
  w.uint(s.logBytes);
  w.uint(s.mtimeUs);
  w.uint(s.headerEnd);
  writeHash(w, s.headerHash);
  w.uint(s.lastStart);
  writeHash(w, s.lastHash);
  if (s.cut === null) w.uint(0);
  else {
    w.uint(s.cut.line + 1);
    w.str(s.cut.warning);
  }
  w.uint(t.summary.commands);
  w.uint(t.summary.facts);
  writePeak(w, t.summary.peak);
  w.uint(t.offsets.stride);
  w.uint(t.offsets.count);
  writeSection(w, t.offsets.section);
  w.uint(t.series.bucket);
  w.uint(t.series.count);
  writeSection(w, t.series.section);
  w.uint(t.checkpoints.length);
  for (const c of t.checkpoints) {
    w.uint(c.cmd);
    writeSection(w, c.blob);
    w.uint(c.encoding);
    writePeak(w, c.peak);
  }
  return w.bytes();
}

function readSection(r: ByteReader): Section {
  return { at: r.uint(), length: r.uint(), hash: r.take(HASH_BYTES).slice() };
}

function readPeak(r: ByteReader): PeakAt {
  return { liveBytes: r.uint(), liveCmd: r.uint(), pages: r.uint(), pagesCmd: r.uint() };
}

/** Reads a trailer; throws a RangeError on bytes that are not one of this version. */
export function decodeTrailer(bytes: Uint8Array): IndexTrailer {
  const r = new ByteReader(bytes);
  const version = r.uint();
  if (version !== INDEX_VERSION) throw new RangeError(`index trailer version ${version}`);
  const logBytes = r.uint();
  const mtimeUs = r.uint();
  const headerEnd = r.uint();
  const headerHash = r.take(HASH_BYTES).slice();
  const lastStart = r.uint();
  const lastHash = r.take(HASH_BYTES).slice();
  const cutLine = r.uint();
  const cut = cutLine === 0 ? null : { line: cutLine - 1, warning: r.str() };
  const summary: IndexSummary = { commands: r.uint(), facts: r.uint(), peak: readPeak(r) };
  const offsets = { stride: r.uint(), count: r.uint(), section: readSection(r) };
  const series = { bucket: r.uint(), count: r.uint(), section: readSection(r) };
  const n = r.uint();
  const checkpoints: CheckpointEntry[] = [];
  for (let i = 0; i < n; i++) {
    const cmd = r.uint();
    const blob = readSection(r);
    const encoding = r.uint();
    if (encoding !== 0 && encoding !== 1) throw new RangeError(`checkpoint encoding ${encoding}`);
    checkpoints.push({ cmd, blob, encoding, peak: readPeak(r) });
  }
  if (!r.done) throw new RangeError('bytes after the index trailer');
  if (offsets.stride < 1 || series.bucket < 1) throw new RangeError('index trailer: a stride or bucket of 0 commands');
  return { source: { logBytes, mtimeUs, headerEnd, headerHash, lastStart, lastHash, cut }, summary, offsets, series, checkpoints };
}

/** The footer pointing at a trailer. */
export function encodeFooter(trailerAt: number, trailerLength: number, trailerHash: Uint8Array): Uint8Array {
  const b = new Uint8Array(INDEX_FOOTER_BYTES);
  const v = new DataView(b.buffer);
  v.setFloat64(0, trailerAt, true);
  v.setUint32(8, trailerLength, true);
  b.set(trailerHash, 12);
  b.set(new TextEncoder().encode(FOOTER_MAGIC), 44);
  return b;
}

/** Reads a footer: where the trailer is and its hash; undefined when the bytes are not a footer. */
export function decodeFooter(bytes: Uint8Array): { at: number; length: number; hash: Uint8Array } | undefined {
  if (bytes.length !== INDEX_FOOTER_BYTES || new TextDecoder().decode(bytes.subarray(44)) !== FOOTER_MAGIC) return undefined;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = v.getFloat64(0, true);
  if (!Number.isSafeInteger(at) || at < 0) return undefined;
  return { at, length: v.getUint32(8, true), hash: bytes.slice(12, 44) };
}
