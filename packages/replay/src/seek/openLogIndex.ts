import { open } from 'node:fs/promises';
import { parseHeader, type LogHeader, type ReadFactLogOptions } from '../formats/factLog.js';
import { InputError } from '../formats/inputError.js';
import { buildIndex } from './buildIndex.js';
import type { IndexBuilderOptions } from './indexBuilder.js';
import { IndexFileSink, IndexMemorySink, IndexWriteError } from './indexSinks.js';
import { indexPathOf, IndexUnusable, LogIndex, readRange } from './logIndex.js';

/** Options of `SeekableLog.open`. */
export interface OpenLogOptions extends ReadFactLogOptions, IndexBuilderOptions {
  /**
   * Where an index built on opening goes: `write` (default) writes `LOG.idx` beside the log,
   * or keeps it in memory for this process when that cannot be written; `memory` never writes.
   */
  readonly indexTo?: 'write' | 'memory';
  /** Told, in one line, when an index is built again and why (`rebuilt`), or kept in memory because it cannot be written (`in-memory`). */
  readonly onNote?: (message: string, kind: 'rebuilt' | 'in-memory') => void;
}

/**
 * The index of the fact log at `path`, checked against the log, and the log's header: the
 * index file beside the log when it is sound and the log's; else one built again with a full
 * checked fold (`buildLogIndex`). A log whose last line was cut off is refused under
 * `strict`, else warned about, as `foldLog` does — whether its index was built now or before.
 * Bad input is the InputError `foldLog` gives.
 */
export async function openLogIndex(path: string, options: OpenLogOptions = {}): Promise<{ index: LogIndex; header: LogHeader }> {
  const file = options.displayName ?? path;
  let index: LogIndex | undefined;
  let why = '';
  try {
    index = await LogIndex.openFile(indexPathOf(path));
    await index.matches(path);
  } catch (e) {
    await index?.close();
    index = undefined;
    if (!(e instanceof IndexUnusable) && (e as NodeJS.ErrnoException).code === undefined) throw e;
    why = (e as Error).message;
  }
  if (index === undefined) index = await buildLogIndex(path, why, options);
  else {
    const cut = index.trailer.source.cut;
    if (cut !== null) {
      if (options.strict) {
        // Refused as a fold refuses it: the read that would build the index says why.
        await index.close();
        const rebuilt = await buildLogIndex(path, 'there is none', options);
        return { index: rebuilt, header: await readHeader(path, file, rebuilt.trailer.source.headerEnd) };
      }
      options.onWarning?.(new InputError(file, cut.line, cut.warning));
    }
  }
  return { index, header: await readHeader(path, file, index.trailer.source.headerEnd) };
}

/**
 * Builds the index of the log at `path` with a full checked fold — writing it beside the log
 * when it can, else keeping it in memory, with a note — and opens it. `why`: why the index
 * there was not used (told in a note unless there was none).
 */
export async function buildLogIndex(path: string, why: string, options: OpenLogOptions): Promise<LogIndex> {
  const file = options.displayName ?? path;
  const idx = indexPathOf(path);
  const idxName = indexPathOf(file);
  if (why !== 'there is none') options.onNote?.(`${idxName}: not used (${why}); building the index again`, 'rebuilt');
  let sink: IndexFileSink | IndexMemorySink;
  if (options.indexTo === 'memory') sink = new IndexMemorySink();
  else {
    try {
      sink = new IndexFileSink(idx);
    } catch (e) {
      if (!(e instanceof IndexWriteError)) throw e;
      options.onNote?.(`${idxName}: cannot write (${e.message}); the index is built in memory for this run only`, 'in-memory');
      sink = new IndexMemorySink();
    }
  }
  try {
    await buildIndex(path, sink, options);
    if (sink instanceof IndexMemorySink) return await LogIndex.fromBytes(sink.bytes());
    sink.commit();
  } catch (e) {
    if (sink instanceof IndexFileSink) sink.abort();
    if (!(e instanceof IndexWriteError)) throw e;
    // Writing failed part-way (a full disk): the log itself was read and checked (and any
    // warning about it given); build the index again in memory.
    options.onNote?.(`${idxName}: cannot write (${e.message}); the index is built in memory for this run only`, 'in-memory');
    const memory = new IndexMemorySink();
    await buildIndex(path, memory, { ...options, onWarning: () => undefined });
    return LogIndex.fromBytes(memory.bytes());
  }
  return LogIndex.openFile(idx);
}

/** Reads and parses the header line of a log whose header ends at byte `end`. */
async function readHeader(path: string, file: string, end: number): Promise<LogHeader> {
  const handle = await open(path, 'r');
  let bytes: Uint8Array;
  try {
    bytes = await readRange(handle, 0, end);
  } finally {
    await handle.close();
  }
  const lines = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '').split('\n');
  const k = lines.findIndex((l) => l.trim() !== '');
  return parseHeader(lines[k]!.replace(/\r$/, ''), file, k + 1);
}
