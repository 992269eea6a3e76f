/**
 * A named pipe (FIFO) fed with some text while an in-process command reads it: the way to
 * give `lmm` a log it can read only once, front to back (as `-` or a process substitution
 * is), without a child process — so coverage and mutation testing see the code that reads it.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, rmSync, writeSync } from 'node:fs';

/**
 * Makes a FIFO at `path`, runs `read` (a command that opens it) while `text` is written into
 * it, and removes it. The writer opens without blocking, retrying until a reader has opened
 * its end; `text` goes to the first reader, and any later open of the pipe (a second read of
 * a log that can be read only once) finds it empty rather than waiting for ever. `text` must
 * fit a pipe's buffer (64 KiB), so that a reader that stops early blocks no one.
 */
export async function throughFifo<T>(path: string, text: string, read: () => Promise<T>): Promise<T> {
  execFileSync('mkfifo', [path]);
  let stop = false;
  const writer = (async () => {
    let first = true;
    while (!stop) {
      let fd: number;
      try {
        fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENXIO') throw e;
        await new Promise((resolve) => setTimeout(resolve, 2));
        continue;
      }
      try {
        if (first) writeSync(fd, text);
        first = false;
      } catch (e) {
        // The reader closed its end before reading all: what it read is what it needed.
        if ((e as NodeJS.ErrnoException).code !== 'EPIPE') throw e;
      } finally {
        closeSync(fd);
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  try {
    return await read();
  } finally {
    stop = true;
    await writer;
    rmSync(path, { force: true });
  }
}
