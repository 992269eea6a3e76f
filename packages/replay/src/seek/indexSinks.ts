import { closeSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { removeStaleTemps, tempPathOf } from '../formats/staleTemps.js';
import { describeWriteError } from '../formats/writeError.js';
import type { IndexSink } from './indexBuilder.js';

const unfinished = new Set<IndexFileSink>();
let exitHooked = false;

/** Removes every index file not committed when the process exits (however it exits, but for SIGKILL). */
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const sink of [...unfinished]) sink.abort();
  });
}

/** Writing an index file failed (opening it, or part-way): why, in a few words. */
export class IndexWriteError extends Error {
  override readonly name = 'IndexWriteError';
}

/**
 * An index file that appears whole or not at all: written to `.NAME.PID.tmp` beside `path`
 * and renamed over it by `commit`; `abort` (also at process exit, for every sink not
 * committed) removes the temporary file, and opening one removes those that killed processes
 * left. A failure is an `IndexWriteError`; the target is then
 * left as it was.
 */
export class IndexFileSink implements IndexSink {
  private readonly temp: string;
  private fd: number;

  /**
   * Opens the temporary file; `IndexWriteError` when the directory cannot be written — or is
   * marked read-only (no write permission for anyone), which a process running as root could
   * write all the same: an index is not written where files are meant to stay as they are.
   */
  constructor(readonly path: string) {
    const dir = dirname(path);
    this.temp = tempPathOf(dir, basename(path));
    try {
      if ((statSync(dir).mode & 0o222) === 0) throw new IndexWriteError('the directory is read-only');
      removeStaleTemps(dir, basename(path));
      this.fd = openSync(this.temp, 'w');
    } catch (e) {
      throw e instanceof IndexWriteError ? e : new IndexWriteError(describeWriteError(e));
    }
    unfinished.add(this);
    hookExit();
  }

  write(bytes: Uint8Array): void {
    if (this.fd < 0) throw new IndexWriteError('the index file is closed');
    try {
      for (let off = 0; off < bytes.length; ) off += writeSync(this.fd, bytes, off, bytes.length - off);
    } catch (e) {
      this.abort();
      throw new IndexWriteError(describeWriteError(e));
    }
  }

  /** Closes the file and renames it to its final name. */
  commit(): void {
    try {
      closeSync(this.fd);
      this.fd = -1;
      renameSync(this.temp, this.path);
    } catch (e) {
      this.abort();
      throw new IndexWriteError(describeWriteError(e));
    }
    unfinished.delete(this);
  }

  /** Drops the file: nothing is left at either name (an existing index is untouched). */
  abort(): void {
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        /* already closed */
      }
      this.fd = -1;
    }
    try {
      unlinkSync(this.temp);
    } catch {
      /* already gone */
    }
    unfinished.delete(this);
  }
}

/** An index kept in memory (for a log whose directory cannot be written). */
export class IndexMemorySink implements IndexSink {
  private chunks: Uint8Array[] = [];
  private length = 0;

  write(bytes: Uint8Array): void {
    this.chunks.push(bytes.slice());
    this.length += bytes.length;
  }

  /** Everything written, as one array. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    this.chunks = [out];
    return out;
  }
}
