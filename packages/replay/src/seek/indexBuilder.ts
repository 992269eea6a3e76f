import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { encodeState, type HeapState } from '@lmm/core';
import type { RunBatch } from '@lmm/events';
import {
  encodeFooter,
  encodeTrailer,
  indexPreamble,
  type CheckpointEntry,
  type IndexSource,
  type IndexTrailer,
  type PeakAt,
  type Section,
} from './indexFormat.js';
import { NO_PEAK_AT } from './peakAt.js';
import { SeriesBuckets } from './seriesBuckets.js';

/** Where an index's bytes go, in order. */
export interface IndexSink {
  write(bytes: Uint8Array): void;
}

/**
 * Commands between entries of the offsets table. A command's facts are found by reading from
 * the entry at or before it and skipping fewer than this many commands: for the usual 2 facts
 * of about 180 bytes a command, under 24 KiB, within one read. The table takes 24 bytes per 64
 * commands (byte offset, line, facts before): 37.5 MB for 100M commands (about 1/500 of such
 * a log), loaded whole on open.
 */
export const OFFSET_STRIDE = 64;

/**
 * Commands between the places a checkpoint may be written (a multiple of `OFFSET_STRIDE`, so
 * that the log goes on after a checkpoint at an entry of the offsets table): a seek folds at
 * most this many commands more than the spacing below asks for.
 */
export const CHECKPOINT_EVERY = 1024;

/**
 * A checkpoint is written at the first place (`CHECKPOINT_EVERY`) where the log has grown
 * since the last one by this many times that checkpoint's encoded size (before deflating,
 * which about halves it): the checkpoints take about a tenth of the log's size whatever the
 * heap's, and a seek folds at most about six times as many log bytes as the state it starts
 * from took to encode. At 100k live blocks (a state of about 0.9 MB, 0.5 MB deflated) that is
 * one every 5.5 MB of log, some 35k commands: a seek folds fewer than that, and a run spends
 * about 60 ms of CPU encoding each (the deflating is done on libuv's thread pool, beside the
 * run). The log's growth is measured at offsets-table entries.
 */
export const CHECKPOINT_RATIO = 6;

/** …and by at least this many bytes, so that small heaps are not checkpointed every few commands. */
export const MIN_CHECKPOINT_GAP = 1 << 20;

/** Options of `IndexBuilder`; the defaults are the exported constants. */
export interface IndexBuilderOptions {
  readonly stride?: number;
  /** Commands between the places a checkpoint may be written: a multiple of `stride`. */
  readonly checkpointEvery?: number;
  readonly checkpointRatio?: number;
  readonly minCheckpointGap?: number;
  /** Deflate checkpoint blobs when that makes them smaller (default true). */
  readonly compress?: boolean;
  /** Series buckets at most (default `SeriesBuckets.MAX`). */
  readonly maxBuckets?: number;
}

/** Commands between the places a checkpoint may be written under `options` (`checkpointEvery`, by default the multiple of the stride nearest `CHECKPOINT_EVERY`); a RangeError when not a multiple of the stride. */
export function checkpointPlaces(options: IndexBuilderOptions): number {
  const stride = options.stride ?? OFFSET_STRIDE;
  const every = options.checkpointEvery ?? Math.max(stride, Math.round(CHECKPOINT_EVERY / stride) * stride);
  if (!Number.isSafeInteger(stride) || stride < 1 || every % stride !== 0 || every < stride) throw new RangeError(`index: checkpoints every ${every} commands, not a multiple of the stride ${stride}`);
  return every;
}

/** SHA-256 of some bytes. */
export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}


/**
 * Builds a fact log's index (format: `indexFormat.ts`) while the log is folded or written.
 * It is told, in command order, where each stride-th command begins (`entry`, before the
 * batch holding that command), and every batch the fold makes (`batch`: the batches must end
 * at every multiple of `checkpointEvery`, as `cutEvery` makes them). Where checkpoints go
 * depends only on the log's bytes and the states' encoded sizes, never on how the commands
 * were batched: the same log, the same index. Checkpoint blobs go to the sink as they are
 * made (deflated at once: a fold hardly lets the event loop turn, so blobs left to deflate in
 * the background would pile up in memory as the log grows); the offsets table, series and checkpoint list are
 * kept (24 bytes per 64 commands, 4096 buckets, about 80 bytes per checkpoint) and written
 * by `finish`.
 */
export class IndexBuilder {
  readonly stride: number;
  readonly checkpointEvery: number;
  private readonly ratio: number;
  private readonly minGap: number;
  private readonly compress: boolean;
  private position = 0;
  private offsets = new Float64Array(3 * 1024);
  private offsetCount = 0;
  private readonly series: SeriesBuckets;
  private readonly checkpoints: CheckpointEntry[] = [];
  private peak: PeakAt = NO_PEAK_AT;
  private cmd = 0;
  private seq = 0;
  /** Where the log's growth was measured at the last checkpoint (command 1's offset before any), and that checkpoint's encoded size. */
  private lastOffset = -1;
  private lastBytes = 0;
  /** The first failure to write a checkpoint, which stops the later ones; `finish` throws it. */
  private failure: unknown;
  private lastCheckpointCmd = 0;

  constructor(
    private readonly sink: IndexSink,
    options: IndexBuilderOptions = {},
  ) {
    this.stride = options.stride ?? OFFSET_STRIDE;
    this.checkpointEvery = checkpointPlaces(options);
    this.ratio = options.checkpointRatio ?? CHECKPOINT_RATIO;
    this.minGap = options.minCheckpointGap ?? MIN_CHECKPOINT_GAP;
    this.compress = options.compress ?? true;
    this.series = new SeriesBuckets(options.maxBuckets);
    this.emit(indexPreamble());
  }

  private emit(bytes: Uint8Array): Section {
    const at = this.position;
    this.sink.write(bytes);
    this.position += bytes.length;
    return { at, length: bytes.length, hash: sha256(bytes) };
  }

  /** Command `cmd` (1, 1 + stride, … in order) begins at byte `offset` of the log, on line `line`, after `seq` facts. */
  entry(cmd: number, offset: number, line: number, seq: number): void {
    if (cmd !== this.offsetCount * this.stride + 1) throw new RangeError(`index: an entry for command ${cmd} where ${this.offsetCount * this.stride + 1} was due`);
    if (3 * this.offsetCount === this.offsets.length) {
      const more = new Float64Array(this.offsets.length * 2);
      more.set(this.offsets);
      this.offsets = more;
    }
    this.offsets.set([offset, line, seq], 3 * this.offsetCount++);
    if (cmd === 1) this.lastOffset = offset;
  }

  /** The next commands were folded (or run): their figures, and the state after the last, which may be checkpointed now. */
  batch(b: RunBatch): void {
    if (b.first !== this.cmd + 1) throw new RangeError(`index: a batch from command ${b.first} after command ${this.cmd}`);
    for (let i = 0; i < b.count; i++) {
      const live = b.liveBytes[i]!;
      const pages = b.pages[i]!;
      this.series.add(live, pages);
      const p = this.peak;
      if (live > p.liveBytes || pages > p.pages) {
        const cmd = b.first + i;
        this.peak = { liveBytes: Math.max(live, p.liveBytes), liveCmd: live > p.liveBytes ? cmd : p.liveCmd, pages: Math.max(pages, p.pages), pagesCmd: pages > p.pages ? cmd : p.pagesCmd };
      }
    }
    this.cmd = b.first + b.count - 1;
    this.seq += b.facts.length;
    if (this.cmd % this.checkpointEvery !== 0) return;
    // The log's growth, measured where the last stride before this command begins.
    const grown = this.offsets[3 * (this.cmd / this.stride - 1)]!;
    if (grown - this.lastOffset >= Math.max(this.minGap, this.ratio * this.lastBytes)) {
      this.lastOffset = grown;
      this.checkpoint(b.view);
    }
  }

  /**
   * Encodes the state now (the view is valid during this call only), deflates and writes it.
   * A write that fails is kept for `finish` to throw; no checkpoint is written after it.
   */
  private checkpoint(view: HeapState): void {
    const raw = encodeState(view);
    this.lastCheckpointCmd = this.cmd;
    this.lastBytes = raw.length;
    if (this.failure !== undefined) return;
    try {
      const deflated = this.compress ? deflateRawSync(raw, { level: 1 }) : undefined;
      const small = deflated !== undefined && deflated.length < raw.length;
      const blob = this.emit(small ? new Uint8Array(deflated.buffer, deflated.byteOffset, deflated.length) : raw);
      this.checkpoints.push({ cmd: this.cmd, peak: this.peak, blob, encoding: small ? 1 : 0 });
    } catch (e) {
      this.failure = e;
    }
  }

  /** Commands fed so far. */
  get commands(): number {
    return this.cmd;
  }

  /** Facts fed so far. */
  get facts(): number {
    return this.seq;
  }

  /**
   * Ends the index: a checkpoint of the last state (`view`, the state after the last command)
   * unless the last one is there already, then the offsets table, series, trailer and footer.
   * `source`: what the log is, as `logSource` measures it once the log is whole. Rejects
   * with what the sink threw if writing failed.
   */
  async finish(view: HeapState, source: IndexSource): Promise<void> {
    if (this.cmd > 0 && this.lastCheckpointCmd !== this.cmd) this.checkpoint(view);
    if (this.failure !== undefined) throw this.failure;
    const table = this.offsets.slice(0, 3 * this.offsetCount);
    const offsets = { stride: this.stride, count: this.offsetCount, section: this.emit(littleEndian(table)) };
    const values = this.series.values();
    const series = { bucket: this.series.bucket, count: values.length / 4, section: this.emit(littleEndian(values)) };
    const trailer: IndexTrailer = {
      source,
      summary: { commands: this.cmd, facts: this.seq, peak: this.peak },
      offsets,
      series,
      checkpoints: this.checkpoints,
    };
    const bytes = encodeTrailer(trailer);
    const at = this.position;
    this.emit(bytes);
    this.emit(encodeFooter(at, bytes.length, sha256(bytes)));
  }
}

/** Float64 values as little-endian bytes. */
function littleEndian(values: Float64Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const v = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) v.setFloat64(i * 8, values[i]!, true);
  return bytes;
}

/** Reads float64 values written by `littleEndian`. */
export function float64s(bytes: Uint8Array): Float64Array {
  const out = new Float64Array(bytes.length / 8);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = v.getFloat64(i * 8, true);
  return out;
}
