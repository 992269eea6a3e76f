import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { userPath } from './paths';

const open = new Set<OutputFile>();

/**
 * An output file that appears whole or not at all: written to a hidden temporary name
 * beside the target and renamed over it on `commit`. `abort` (and any exit, error or
 * signal before `commit`) removes the temporary file. Writes are buffered.
 */
export class OutputFile {
  /** The final path. */
  readonly path: string;
  private readonly temp: string;
  private fd: number;
  private chunks: string[] = [];
  private bytes = 0;

  /** Opens `file` (as the user named it, relative to their directory) for writing. */
  constructor(file: string) {
    this.path = userPath(file);
    this.temp = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.tmp`);
    this.fd = openSync(this.temp, 'w');
    open.add(this);
  }

  /** Appends text. */
  write(text: string): void {
    this.chunks.push(text);
    this.bytes += text.length;
    if (this.bytes >= 1 << 20) this.flush();
  }

  /** Appends a line of text and its line end. */
  line(text: string): void {
    this.write(text);
    this.write('\n');
  }

  private flush(): void {
    if (this.chunks.length === 0) return;
    writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.bytes = 0;
  }

  /** Writes what is buffered, closes the file and renames it to its final name. */
  commit(): void {
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
    renameSync(this.temp, this.path);
    open.delete(this);
  }

  /** Drops the file: nothing is left at either name (an existing target is untouched). */
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
    open.delete(this);
  }
}

/** Removes every output file not yet committed: on errors, signals and exit. */
export function abortAllOutputs(): void {
  for (const f of [...open]) f.abort();
}
