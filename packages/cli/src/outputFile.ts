import { closeSync, constants as fsConstants, fchmodSync, fchownSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname } from 'node:path';
import { describeWriteError, removeStaleTemps, tempPathOf, type ByteSink } from '@lmm/replay';
import { outputTarget, sameFile, statOrUndefined, type OutputTarget } from './outputTarget.js';
import { userPath } from './paths.js';
import { UsageError } from './usageError.js';

const open = new Set<OutputFile>();
const BUFFER_BYTES = 1 << 20;
const NEWLINE = 0x0a;
const STDOUT = 1;

/** Writing an output failed part-way (disk full, I/O error, the reader of a pipe gone): exit 1, one line, no output file left behind. */
export class OutputError extends Error {
  override readonly name = 'OutputError';
}

/**
 * Standard output was closed by its reader (`lmm run T --facts - | head`): not a failure,
 * the command ends quietly with status 0, as it does when the summary meets a closed pipe.
 */
export class ClosedStdout extends Error {
  override readonly name = 'ClosedStdout';
}

/** Options of `OutputFile.open`. */
export interface OutputFileOptions {
  /**
   * Files this command reads (as the user named them): the output must not be one of them,
   * or the rename at the end would replace an input the user still has. Refused as a
   * UsageError before anything is written.
   */
  readonly inputs?: readonly string[];
}

/**
 * An output of a command, named by the user: a file that appears whole or not at all, or a
 * stream written as it goes.
 *
 * A regular file (new, existing, or reached through a symbolic link — the link stays and
 * its target is replaced) is written to a hidden temporary name beside it
 * (`.NAME.PID.tmp`), flushed to disk and renamed over it on `commit`, with the mode (and,
 * for root, the owner) of the file it replaces. Until then the target is untouched (an
 * existing one keeps its old content). A target whose mode bits make it read-only is
 * refused, as `cp` refuses it. `abort` — called for every uncommitted file on an error,
 * SIGINT/SIGTERM/SIGHUP and at exit (`abortAllOutputs`) — removes the temporary file.
 * A process killed with SIGKILL (or by the kernel's out-of-memory killer) cannot clean up:
 * its temporary file stays, but the target is still absent or whole. The next OutputFile
 * for the same target removes such leftovers of processes that no longer run.
 *
 * `-` is standard output; any other file that is not a regular file (a FIFO, `/dev/null`,
 * a terminal, `/dev/stdout`, `/dev/fd/N` of a process substitution) is written in place,
 * as it goes: nothing to rename, and nothing to remove on an error — what was written is
 * gone. Standard output closed by its reader ends the command quietly (`ClosedStdout`).
 *
 * Problems opening the file (an empty name, no such directory, permission, a directory, a
 * read-only file, the same file as an input or as another output of the command) are
 * UsageErrors (exit 2); a write that fails part-way is an OutputError (exit 1). Writes are
 * buffered.
 */
export class OutputFile implements ByteSink {
  /** The file as the user named it, for messages. */
  readonly name: string;
  /** True when the output goes to this process's standard output (`-`, `/dev/stdout`…): the command's own report then goes to stderr. */
  readonly takesStdout: boolean;
  private readonly target: OutputTarget;
  /** The temporary file of a regular target, renamed over it on commit. */
  private readonly temp: string | undefined;
  private fd: number;
  /** False when `fd` is a descriptor this process was started with (standard output…): it is written, never closed. */
  private readonly ownsFd: boolean;
  /** Text not yet written, as UTF-8: encoding each piece straight into one buffer is several times cheaper than joining strings. */
  private readonly buf = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;

  private constructor(name: string, target: OutputTarget, fd: number, ownsFd: boolean, temp: string | undefined) {
    this.name = name;
    this.target = target;
    this.fd = fd;
    this.ownsFd = ownsFd;
    this.temp = temp;
    this.takesStdout = target.kind === 'stdout';
    open.add(this);
  }

  /**
   * Opens `file` (as the user named it, relative to their directory; `-` for standard
   * output) for writing. Asynchronous because opening a FIFO waits for its reader; the
   * process still answers signals meanwhile (and an interrupted wait removes nothing).
   */
  static async open(file: string, options: OutputFileOptions = {}): Promise<OutputFile> {
    const target = outputTarget(file);
    for (const other of open) {
      if (sameTarget(other.target, target)) throw new UsageError(`${file}: named twice as an output of one command`);
    }
    if (target.kind === 'stdout') return new OutputFile(file, target, STDOUT, false, undefined);
    if (target.kind === 'special') {
      let opened: { fd: number; owned: boolean };
      try {
        opened = await openSpecial(target.path, target.stat);
      } catch (e) {
        throw new UsageError(`${file}: cannot write: ${describeWriteError(e)}`);
      }
      return new OutputFile(file, target, opened.fd, opened.owned, undefined);
    }
    if (target.existing !== undefined) {
      for (const input of options.inputs ?? []) {
        if (input === '-') continue;
        const st = statOrUndefined(userPath(input));
        if (st !== undefined && sameFile(st, target.existing)) {
          throw new UsageError(`${file}: is also an input of this command (${input}); writing it would replace what is read`);
        }
      }
    }
    const dir = dirname(target.path);
    const base = basename(target.path);
    removeStaleTemps(dir, base);
    const temp = tempPathOf(dir, base);
    let fd: number;
    try {
      fd = openSync(temp, 'w', target.existing === undefined ? 0o666 : 0o600);
    } catch (e) {
      throw new UsageError(`${file}: cannot write: ${describeWriteError(e)}`);
    }
    if (target.existing !== undefined) keepModeAndOwner(fd, target.existing);
    return new OutputFile(file, target, fd, true, temp);
  }

  /** Appends text. */
  write(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    if (this.used + text.length * 3 > BUFFER_BYTES) {
      this.flush();
      if (text.length * 3 > BUFFER_BYTES) {
        this.writeOut(Buffer.from(text));
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

  /** The write buffer, lent to writers that encode bytes straight into it (`room`, `wrote`; a `ByteSink`). */
  get buffer(): Uint8Array {
    return this.buf;
  }

  /**
   * Makes room for `n` bytes in `buffer` (writing out what is buffered when they would not
   * fit) and returns the offset they start at; the bytes from there to the buffer's end are
   * free. Then `wrote(end)` appends them. A RangeError when `n` is more than the buffer holds.
   */
  room(n: number): number {
    if (n > BUFFER_BYTES) throw new RangeError(`OutputFile.room: ${n} bytes is more than the buffer's ${BUFFER_BYTES}`);
    if (this.used + n > BUFFER_BYTES) this.flush();
    return this.used;
  }

  /** Appends the bytes of `buffer` from the offset `room` returned up to `end`. */
  wrote(end: number): void {
    if (!(end >= this.used && end <= BUFFER_BYTES)) throw new RangeError(`OutputFile.wrote: end ${end} is outside ${this.used}…${BUFFER_BYTES}`);
    this.used = end;
  }

  private flush(): void {
    if (this.used === 0) return;
    const n = this.used;
    this.used = 0;
    this.writeOut(this.buf.subarray(0, n));
  }

  private writeOut(data: Buffer): void {
    try {
      // writeSync may write less than asked (a full disk, a pipe): go on until all is out.
      for (let off = 0; off < data.length; ) {
        try {
          off += writeSync(this.fd, data, off, data.length - off);
        } catch (e) {
          // Standard output (Node makes a pipe non-blocking) and special files (opened so): wait for the reader.
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
          Atomics.wait(PAUSE, 0, 0, 2);
        }
      }
    } catch (e) {
      this.abort();
      if (this.takesStdout && (e as NodeJS.ErrnoException).code === 'EPIPE') throw new ClosedStdout(`${this.name}: the reader closed standard output`);
      throw new OutputError(`${this.name}: cannot write: ${describeWriteError(e)}${this.temp === undefined ? '' : '; no output file was written'}`);
    }
  }

  /** Writes what is buffered; for a regular file, flushes it to disk, closes it and renames it to its final name. */
  commit(): void {
    this.flush();
    try {
      if (this.temp !== undefined) fsyncSync(this.fd);
      if (this.ownsFd) closeSync(this.fd);
      this.fd = -1;
      if (this.temp !== undefined && this.target.kind === 'regular') renameSync(this.temp, this.target.path);
    } catch (e) {
      this.abort();
      throw new OutputError(`${this.name}: cannot write: ${describeWriteError(e)}; no output file was written`);
    }
    open.delete(this);
  }

  /** Drops the output: for a regular file nothing is left at either name (an existing target is untouched); a stream is just closed. */
  abort(): void {
    if (this.fd >= 0 && this.ownsFd) {
      try {
        closeSync(this.fd);
      } catch {
        /* already closed */
      }
    }
    this.fd = -1;
    if (this.temp !== undefined) {
      try {
        unlinkSync(this.temp);
      } catch {
        /* already gone */
      }
    }
    open.delete(this);
  }

  /** True for an output that is written atomically (a regular file): aborting it removes something. */
  get atomic(): boolean {
    return this.temp !== undefined;
  }

  /** True when a regular file is at the output's name now (before `commit`: one that was there before, left as it was). */
  get targetExists(): boolean {
    return this.target.kind === 'regular' && statOrUndefined(this.target.path) !== undefined;
  }
}

/** A 4-byte cell to `Atomics.wait` on: a short sleep that needs no event loop. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** `/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`…: names of this process's own descriptors. */
const DESCRIPTOR_PATH = /^\/(?:dev\/(?:stdout|stderr|fd\/(\d+))|proc\/self\/fd\/(\d+))$/;

/** How often to try again to open a FIFO that has no reader yet, in ms. */
const FIFO_RETRY_MS = 50;

/**
 * Opens a file that is not a regular file for writing, in place, without blocking: a FIFO
 * with no reader yet is tried again every FIFO_RETRY_MS while the event loop runs (a
 * blocking open would hold a libuv thread that exit waits for, and signals with it). The
 * descriptor is non-blocking, so `writeOut` waits out EAGAIN. A socket cannot be opened by
 * name (ENXIO): a name of one of this process's descriptors is written through the
 * descriptor itself.
 */
async function openSpecial(path: string, stat: Stats): Promise<{ fd: number; owned: boolean }> {
  for (;;) {
    try {
      return { fd: openSync(path, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK), owned: true };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENXIO') throw e;
      if (stat.isFIFO()) {
        await new Promise((r) => setTimeout(r, FIFO_RETRY_MS));
        continue;
      }
      const m = DESCRIPTOR_PATH.exec(path);
      if (m === null) throw e;
      const n = m[1] ?? m[2];
      return { fd: n !== undefined ? Number(n) : path.endsWith('stderr') ? 2 : STDOUT, owned: false };
    }
  }
}

/** Two targets that must not both be written by one command: the same regular file, or standard output twice, or the same FIFO. */
function sameTarget(a: OutputTarget, b: OutputTarget): boolean {
  if (a.kind === 'stdout' || b.kind === 'stdout') return a.kind === b.kind;
  if (a.kind === 'regular' && b.kind === 'regular') return a.path === b.path;
  // Two writers of one character device (/dev/null) do no harm; of one FIFO they interleave.
  return a.kind === 'special' && b.kind === 'special' && sameFile(a.stat, b.stat) && !a.stat.isCharacterDevice();
}

/**
 * Gives the temporary file the mode of the file it will replace and its group (as a copy in
 * place would keep them), and when run as root its owner too — root's own files included: in
 * a directory with the set-group-ID bit the temporary file gets the directory's group. The
 * mode, set-user-ID and set-group-ID bits included, is set last, as a change of owner clears those.
 */
function keepModeAndOwner(fd: number, existing: { readonly mode: number; readonly uid: number; readonly gid: number }): void {
  // Root keeps owner and group; anyone else the group, when they belong to it (a new file in
  // a set-group-ID directory takes the directory's group). Refused (EPERM), or on a file
  // system without owners, the new file keeps what it was given, as any new file would.
  try {
    fchownSync(fd, process.getuid?.() === 0 ? existing.uid : -1, existing.gid);
  } catch {
    /* not ours to give, or no owners here */
  }
  // After the owner: a change of owner clears the set-user-ID and set-group-ID bits.
  fchmodSync(fd, existing.mode & 0o7777);
}

/** A regular output file dropped unfinished: its name as the user gave it, and whether a file of that name (one that was there before) is still there. */
export interface AbortedOutput {
  readonly name: string;
  readonly kept: boolean;
}

/**
 * Drops every output not yet committed (on errors, signals and exit): the temporary files
 * of regular files go, their targets stay as they were. Returns those regular files.
 */
export function abortAllOutputs(): AbortedOutput[] {
  const aborted: AbortedOutput[] = [];
  for (const f of [...open]) {
    const atomic = f.atomic;
    f.abort();
    if (atomic) aborted.push({ name: f.name, kept: f.targetExists });
  }
  return aborted;
}

/**
 * What dropping unfinished outputs did, for a message: `a.log, b.json not written`, and
 * `(the existing a.log is left as it was)` for a target that was there before. Empty when none.
 */
export function describeAborted(aborted: readonly AbortedOutput[]): string {
  if (aborted.length === 0) return '';
  const kept = aborted.filter((a) => a.kept).map((a) => a.name);
  const left = kept.length === 0 ? '' : ` (the existing ${kept.join(', ')} ${kept.length === 1 ? 'is left as it was' : 'are left as they were'})`;
  return `${aborted.map((a) => a.name).join(', ')} not written${left}`;
}

// Whatever ends the process (process.exit anywhere, an EPIPE on stdout…), no temporary file stays.
process.on('exit', () => void abortAllOutputs());

