/**
 * Faults of `node:fs` planted for the length of one synchronous call (of an async function:
 * up to its first wait), for tests of what
 * `OutputFile` does when the system fails it part-way (a full disk, an I/O error, a pipe's
 * reader gone, EAGAIN), which real files rarely do on demand. The CLI's modules import the
 * functions by name from `node:fs`; `syncBuiltinESMExports` makes those names see the
 * replacements, and the originals are back before `run` returns or throws.
 *
 * Standard input, output and error (descriptors 0–2) are never written or closed while a
 * fault is planted: such calls are recorded in `stdio` instead (a test writes to its own
 * runner's standard output through none of them).
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

type WriteSync = (fd: number, data: Uint8Array, offset: number, length: number) => number;

/** Replacements: each gets the real function and the call's arguments. */
export interface FsFaults {
  readonly writeSync?: (real: WriteSync, fd: number, data: Uint8Array, offset: number, length: number) => number;
  readonly fsyncSync?: (real: (fd: number) => void, fd: number) => void;
  readonly openSync?: (real: (path: string, flags: number | string, mode?: number) => number, path: string, flags: number | string, mode?: number) => number;
}

/** What a planted run saw: calls on descriptors 0–2 (`write 1`, `close 1`…) kept from the real ones. */
export interface FsCalls {
  readonly stdio: string[];
}

/** An errno-style error, as `fs` throws them. */
export function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code} (planted by the test)`), { code });
}

/** Runs `run` (synchronous: nothing else runs meanwhile) with `faults` planted in `node:fs`. */
export function withFsFaults<T>(faults: FsFaults, run: (calls: FsCalls) => T): T {
  const mutable = fs as unknown as Record<string, unknown>;
  const realWrite = fs.writeSync as unknown as WriteSync;
  const realClose = fs.closeSync;
  const realFsync = fs.fsyncSync;
  const realOpen = fs.openSync as (path: string, flags: number | string, mode?: number) => number;
  const calls: FsCalls = { stdio: [] };
  mutable.writeSync = (fd: number, data: Uint8Array, offset: number, length: number): number => {
    if (fd <= 2) {
      calls.stdio.push(`write ${fd}`);
      if (faults.writeSync === undefined) return length;
      return faults.writeSync(() => length, fd, data, offset, length);
    }
    return faults.writeSync === undefined ? realWrite(fd, data, offset, length) : faults.writeSync(realWrite, fd, data, offset, length);
  };
  mutable.closeSync = (fd: number): void => {
    if (fd <= 2) calls.stdio.push(`close ${fd}`);
    else realClose(fd);
  };
  mutable.fsyncSync = (fd: number): void => (faults.fsyncSync === undefined ? realFsync(fd) : faults.fsyncSync(realFsync, fd));
  mutable.openSync = (path: string, flags: number | string, mode?: number): number =>
    faults.openSync === undefined ? realOpen(path, flags, mode) : faults.openSync(realOpen, path, flags, mode);
  syncBuiltinESMExports();
  try {
    return run(calls);
  } finally {
    mutable.writeSync = realWrite;
    mutable.closeSync = realClose;
    mutable.fsyncSync = realFsync;
    mutable.openSync = realOpen;
    syncBuiltinESMExports();
  }
}
