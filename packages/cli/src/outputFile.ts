import { closeSync, fsyncSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { userPath } from './paths.js';
import { UsageError } from './usageError.js';

const open = new Set<OutputFile>();
const BUFFER_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/** Writing an output file failed part-way (disk full, I/O error): exit 1, one line, nothing left behind. */
export class OutputError extends Error {
  override readonly name = 'OutputError';
}

/** Options of `OutputFile`. */
export interface OutputFileOptions {
  /**
   * Files this command reads (as the user named them): the output must not be one of them,
   * or the rename at the end would replace an input the user still has. Refused as a
   * UsageError before anything is written.
   */
  readonly inputs?: readonly string[];
}

/**
 * An output file that appears whole or not at all: written to a hidden temporary name
 * beside the target (`.NAME.PID.tmp`), flushed to disk and renamed over the target on
 * `commit`. Until then the target is untouched (an existing one keeps its old content).
 * `abort` — called for every uncommitted file on an error, SIGINT/SIGTERM/SIGHUP and at
 * exit (`abortAllOutputs`) — removes the temporary file.
 *
 * A process killed with SIGKILL (or by the kernel's out-of-memory killer) cannot clean up:
 * its temporary file stays, but the target is still absent or whole. The next OutputFile
 * for the same target removes such leftovers of processes that no longer run.
 *
 * Problems opening the file (no such directory, permission, a directory, the same file as
 * an input or as another output of the command) are UsageErrors (exit 2); a write that
 * fails part-way is an OutputError (exit 1). Writes are buffered.
 */
export class OutputFile {
  /** The final path. */
  readonly path: string;
  /** The file as the user named it, for messages. */
  readonly name: string;
  private readonly temp: string;
  private fd: number;
  /** Text not yet written, as UTF-8: encoding each piece straight into one buffer is several times cheaper than joining strings. */
  private readonly buf = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;

  /** Opens `file` (as the user named it, relative to their directory) for writing. */
  constructor(file: string, options: OutputFileOptions = {}) {
    this.name = file;
    this.path = userPath(file);
    const target = statOrUndefined(this.path);
    if (target?.isDirectory()) throw new UsageError(`${file}: is a directory; name an output file`);
    for (const other of open) {
      if (other.path === this.path) throw new UsageError(`${file}: named twice as an output of one command`);
    }
    if (target !== undefined) {
      for (const input of options.inputs ?? []) {
        const st = statOrUndefined(userPath(input));
        if (st !== undefined && st.dev === target.dev && st.ino === target.ino) {
          throw new UsageError(`${file}: is also an input of this command (${input}); writing it would replace what is read`);
        }
      }
    }
    const dir = dirname(this.path);
    const base = basename(this.path);
    removeStaleTemps(dir, base);
    this.temp = join(dir, `.${base}.${process.pid}.tmp`);
    try {
      this.fd = openSync(this.temp, 'w');
    } catch (e) {
      throw new UsageError(`${file}: cannot write: ${describeWriteError(e)}`);
    }
    open.add(this);
  }

  /** Appends text. */
  write(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    if (this.used + text.length * 3 > BUFFER_BYTES) {
      this.flush();
      if (text.length * 3 > BUFFER_BYTES) {
        this.writeOut(text);
        return;
      }
    }
    this.used += this.buf.write(text, this.used);
  }

  /** Appends a line of text and its line end. */
  line(text: string): void {
    this.write(text);
    if (this.used === BUFFER_BYTES) this.flush();
    this.buf[this.used++] = NEWLINE;
  }

  private flush(): void {
    if (this.used === 0) return;
    const n = this.used;
    this.used = 0;
    this.writeOut(this.buf.subarray(0, n));
  }

  private writeOut(data: string | Buffer): void {
    try {
      // writeSync may write less than asked (a full disk, a pipe): go on until all is out.
      if (typeof data === 'string') data = Buffer.from(data);
      for (let off = 0; off < data.length; ) off += writeSync(this.fd, data, off, data.length - off);
    } catch (e) {
      this.abort();
      throw new OutputError(`${this.name}: cannot write: ${describeWriteError(e)}; no output file was written`);
    }
  }

  /** Writes what is buffered, flushes it to disk, closes the file and renames it to its final name. */
  commit(): void {
    this.flush();
    try {
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = -1;
      renameSync(this.temp, this.path);
    } catch (e) {
      this.abort();
      throw new OutputError(`${this.name}: cannot write: ${describeWriteError(e)}; no output file was written`);
    }
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

/** Removes every output file not yet committed (on errors, signals and exit); returns their names as the user gave them. */
export function abortAllOutputs(): string[] {
  const names = [...open].map((f) => f.name);
  for (const f of [...open]) f.abort();
  return names;
}

// Whatever ends the process (process.exit anywhere, an EPIPE on stdout…), no temporary file stays.
process.on('exit', () => void abortAllOutputs());

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Removes `.BASE.PID.tmp` files beside the target left by lmm processes that were killed (PID no longer running). */
function removeStaleTemps(dir: string, base: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // the open below reports the directory's problem
  }
  const prefix = `.${base}.`;
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = name.slice(prefix.length, -'.tmp'.length);
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid || isRunning(Number(pid))) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      /* gone already, or not ours to remove */
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describeWriteError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EISDIR':
      return 'is a directory';
    default:
      return code ?? (e as Error).message;
  }
}
