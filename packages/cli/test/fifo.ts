/**
 * A named pipe (FIFO) fed with some text while an in-process command reads it: the way to
 * give `lmm` a log it can read only once, front to back (as `-` or a process substitution
 * is), without a child process — so coverage and mutation testing see the code that reads it.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, rmSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

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

/**
 * Makes a FIFO at `path`, runs `write` (a command that writes into it) while the FIFO is read
 * to its end, and removes it: what `write` returned, and the text read. Once that text is
 * read, anyone who opens the FIFO to read it again (a log read back) finds it empty rather
 * than waiting for ever; should `write` never open it, the reader is let go at the end.
 */
export async function drainFifo<T>(path: string, write: () => Promise<T>): Promise<{ result: T; text: string }> {
  execFileSync('mkfifo', [path]);
  let done = false;
  /** Opens the FIFO's writing end and closes it at once, when someone waits to read it: that reader gets its end of file. */
  const release = () => {
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENXIO') throw e;
    }
  };
  const reading = readFile(path, 'utf8');
  const releasing = reading.then(async () => {
    while (!done) {
      release();
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  });
  try {
    const result = await write();
    done = true;
    release();
    return { result, text: await reading };
  } finally {
    done = true;
    await reading.catch(() => undefined);
    await releasing.catch(() => undefined);
    rmSync(path, { force: true });
  }
}
