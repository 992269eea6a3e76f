/**
 * OutputFile on each kind of target: what a new or replaced file looks like (mode, owner),
 * which outputs may be open together, an output that is also an input, sockets and
 * descriptors named by /dev/fd/N, what dropping unfinished outputs reports, and when the
 * buffered text reaches the file.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, constants, fstatSync, linkSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { abortAllOutputs, describeAborted, OutputFile } from '../src/outputFile.js';
import { inUserDir } from '../src/paths.js';
import { UsageError } from '../src/usageError.js';
import { errno, withFsFaults } from './fsFaults.js';

const dir = mkdtempSync(join(tmpdir(), 'lmm-output-targets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ROOT = process.getuid?.() === 0;

/** Opens `file` in `dir` (names relative to it, as a user in `dir` would give them). */
const openIn = (file: string, inputs?: string[]): Promise<OutputFile> => inUserDir(dir, () => OutputFile.open(file, inputs === undefined ? {} : { inputs }));

/** Writes `text` as a line to a fresh output `file` in `dir` and commits it. */
async function writeWhole(file: string, text: string): Promise<void> {
  const out = await openIn(file);
  out.line(text);
  out.commit();
}

/** A directory `name` in `dir` of group 5678 with the set-group-ID bit: files made in it take its group. */
function setGroupIdDir(name: string): string {
  const path = join(dir, name);
  mkdirSync(path);
  chownSync(path, 0, 5678);
  chmodSync(path, 0o2775);
  return path;
}

/** A file at `path` holding `old`, of owner `uid`, group `gid` and `mode`. */
function oldFile(path: string, uid: number, gid: number, mode: number): void {
  writeFileSync(path, 'old');
  chownSync(path, uid, gid);
  chmodSync(path, mode);
}

describe('the file written', () => {
  it('a new file gets the mode a shell redirection would give it (0666 less the umask)', async () => {
    writeFileSync(join(dir, 'twin.txt'), 'x'); // as `>` creates a file: 0666 & ~umask
    await writeWhole('fresh.txt', 'x');
    expect(statSync(join(dir, 'fresh.txt')).mode & 0o7777).toBe(statSync(join(dir, 'twin.txt')).mode & 0o7777);
  });

  it('a replaced file keeps its mode, set-user-ID and set-group-ID bits included', async () => {
    for (const mode of [0o600, 0o4755, 0o2750, 0o640]) {
      const name = `mode-${mode.toString(8)}.txt`;
      writeFileSync(join(dir, name), 'old');
      chmodSync(join(dir, name), mode);
      await writeWhole(name, 'new');
      expect(statSync(join(dir, name)).mode & 0o7777).toBe(mode);
    }
  });

  it.runIf(ROOT)('as root, a replaced file keeps its owner and group, a set-user-ID one its mode too', async () => {
    for (const [uid, gid, mode] of [[1234, 5678, 0o644], [1234, 0, 0o4755], [0, 5678, 0o2755]] as const) {
      const name = `owner-${uid}-${gid}.txt`;
      writeFileSync(join(dir, name), 'old');
      chownSync(join(dir, name), uid, gid);
      chmodSync(join(dir, name), mode);
      await writeWhole(name, 'new');
      const st = statSync(join(dir, name));
      expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([uid, gid, mode]);
    }
  });

  it.runIf(ROOT)("as root, a root-owned file in a set-group-ID directory keeps root's group, not the directory's", async () => {
    // A file created in a directory with the set-group-ID bit takes the directory's group:
    // the temporary file does, so the replaced file would change group without a chown.
    const shared = setGroupIdDir('shared');
    writeFileSync(join(shared, 'probe'), '');
    expect(statSync(join(shared, 'probe')).gid).toBe(5678);
    oldFile(join(shared, 'private.log'), 0, 0, 0o640);
    await writeWhole('shared/private.log', 'new');
    const st = statSync(join(shared, 'private.log'));
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([0, 0, 0o640]);
  });
});

describe('the file written by a user other than root', () => {
  it.runIf(ROOT)("keeps its group in a set-group-ID directory (the user's own group, not the directory's), and its owner is the user's", async () => {
    // The process runs as root, told it is user 1234: root may give any group, as the user may give one of its own.
    const shared = setGroupIdDir('shared-user');
    oldFile(join(shared, 'mine.log'), 1234, 4321, 0o2640);
    const uid = vi.spyOn(process, 'getuid').mockReturnValue(1234);
    try {
      await writeWhole('shared-user/mine.log', 'new');
    } finally {
      uid.mockRestore();
    }
    const st = statSync(join(shared, 'mine.log'));
    // Owner: whoever wrote the file (the process really is root; only root's runs give the old
    // owner back); group and mode kept.
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([0, 4321, 0o2640]);
    expect(readFileSync(join(shared, 'mine.log'), 'utf8')).toBe('new\n');
  });
});

describe('opening an output that cannot be written', () => {
  it('a missing directory, or a file used as a directory: a usage error naming the file, nothing created', async () => {
    await expect(openIn('no-such-dir/out.log')).rejects.toThrow(new UsageError('no-such-dir/out.log: cannot write: no such directory'));
    writeFileSync(join(dir, 'plain'), 'x');
    await expect(openIn('plain/out.log')).rejects.toThrow(new UsageError('plain/out.log: cannot write: a part of the path is not a directory'));
    expect(readFileSync(join(dir, 'plain'), 'utf8')).toBe('x');
  });
});

describe('an output that is also an input', () => {
  it('is refused before anything is written, by whatever name the input reaches it', async () => {
    writeFileSync(join(dir, 'trace.log'), 'input');
    linkSync(join(dir, 'trace.log'), join(dir, 'hard.log'));
    symlinkSync('trace.log', join(dir, 'soft.log'));
    for (const input of ['trace.log', './trace.log', join(dir, 'trace.log'), 'hard.log', 'soft.log']) {
      await expect(openIn('trace.log', ['other.log', input])).rejects.toThrow(
        new UsageError(`trace.log: is also an input of this command (${input}); writing it would replace what is read`),
      );
    }
    expect(readFileSync(join(dir, 'trace.log'), 'utf8')).toBe('input');
    expect(readdirSync(dir).filter((f) => f.startsWith('.trace.log.'))).toEqual([]);
  });

  it('other inputs, missing ones and standard input do not stop it', async () => {
    writeFileSync(join(dir, 'result.log'), 'old');
    writeFileSync(join(dir, 'source.log'), 'input');
    const out = await openIn('result.log', ['source.log', 'missing.log', '-']);
    out.line('new');
    out.commit();
    expect(readFileSync(join(dir, 'result.log'), 'utf8')).toBe('new\n');
  });
});

/** A FIFO at `dir/NAME` with a reader opened in this process (so a writer's open does not wait); the reader's descriptor. */
function fifoWithReader(name: string): { path: string; reader: number } {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return { path, reader: openSync(path, constants.O_RDONLY | constants.O_NONBLOCK) };
}

describe('outputs open together', () => {
  it('one regular file twice (by name or through a link) is refused; two files, or a file and -, are not', async () => {
    writeFileSync(join(dir, 'twice.txt'), 'old');
    symlinkSync('twice.txt', join(dir, 'twice-link.txt'));
    const first = await openIn('twice.txt');
    await expect(openIn('twice.txt')).rejects.toThrow(new UsageError('twice.txt: named twice as an output of one command'));
    await expect(openIn('twice-link.txt')).rejects.toThrow(/twice-link\.txt: named twice/);
    const second = await openIn('other.txt');
    const stdout = await openIn('-');
    withFsFaults({}, () => {
      first.abort();
      second.abort();
      stdout.abort();
    });
  });

  it('one FIFO twice (by name or through a link) is refused: the writers would interleave; two FIFOs are not', async () => {
    const a = fifoWithReader('fifo-a');
    const b = fifoWithReader('fifo-b');
    symlinkSync('fifo-a', join(dir, 'fifo-a-link'));
    const first = await openIn('fifo-a');
    await expect(openIn('fifo-a')).rejects.toThrow(/fifo-a: named twice/);
    await expect(openIn('fifo-a-link')).rejects.toThrow(/fifo-a-link: named twice/);
    const second = await openIn('fifo-b');
    const devNull = await openIn('/dev/null');
    first.abort();
    second.abort();
    devNull.abort();
    closeSync(a.reader);
    closeSync(b.reader);
  });

  it('standard output twice, by - or by a name of it, is refused', async () => {
    const first = await openIn('-');
    try {
      await expect(openIn('-')).rejects.toThrow(new UsageError('-: named twice as an output of one command'));
      let stdoutOpen = true;
      try {
        fstatSync(1);
      } catch {
        stdoutOpen = false;
      }
      if (stdoutOpen) await expect(openIn('/dev/stdout')).rejects.toThrow(/\/dev\/stdout: named twice/);
    } finally {
      withFsFaults({}, () => first.abort());
    }
  });

  it('/dev/null twice is fine: writing into it twice harms nothing', async () => {
    const first = await openIn('/dev/null');
    const second = await openIn('/dev/null');
    first.line('gone');
    second.line('gone too');
    first.commit();
    second.commit();
  });
});

/** A connected pair of Unix sockets in this process: the client side's descriptor, and what the server side has received so far. */
async function socketPair(path: string): Promise<{ fd: number; received: () => string; close: () => Promise<void> }> {
  let text = '';
  let accepted: Socket | undefined;
  const server: Server = createServer((s) => {
    accepted = s;
    s.on('data', (d) => (text += d.toString()));
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const client = createConnection(path);
  await new Promise<void>((resolve) => client.on('connect', resolve));
  const fd = (client as unknown as { _handle: { fd: number } })._handle.fd;
  return {
    fd,
    received: () => text,
    close: async () => {
      client.destroy();
      accepted?.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Waits until `ready()` or a second has passed. */
async function until(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ready(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('special files that cannot be opened', () => {
  it('a FIFO the user may not write (EACCES, as a normal user meets it) is refused at once, not waited on like one without a reader', async () => {
    // Root may write any FIFO: the refusal a normal user gets from open(2) is planted.
    const fifo = fifoWithReader('no-access');
    try {
      const opening = withFsFaults({ openSync: () => { throw errno('EACCES'); } }, () => openIn('no-access'));
      await expect(opening).rejects.toThrow(new UsageError('no-access: cannot write: permission denied'));
    } finally {
      closeSync(fifo.reader);
    }
  });
});

describe('sockets and descriptors', () => {
  it('a socket named by its path cannot be opened: a usage error naming it', async () => {
    const pair = await socketPair(join(dir, 'sock'));
    try {
      await expect(openIn('sock')).rejects.toThrow(new UsageError('sock: cannot write: no such device, or a socket (which cannot be opened by name)'));
    } finally {
      await pair.close();
    }
  });

  it('a socket this process holds, named /dev/fd/N or /proc/self/fd/N (a process substitution), is written through N and left open', async () => {
    for (const [i, prefix] of ['/dev/fd/', '/proc/self/fd/'].entries()) {
      const pair = await socketPair(join(dir, `sock-${i}`));
      try {
        const out = await openIn(`${prefix}${pair.fd}`);
        expect(out.atomic).toBe(false);
        expect(out.takesStdout).toBe(false);
        const calls = withFsFaults({}, (c) => {
          out.line(`through ${prefix}`);
          out.commit();
          return c;
        });
        expect(calls.stdio).toEqual([]);
        await until(() => pair.received() !== '');
        expect(pair.received()).toBe(`through ${prefix}\n`);
        // Still this process's socket: not closed by the output.
        expect(fstatSync(pair.fd).isSocket()).toBe(true);
      } finally {
        await pair.close();
      }
    }
  });
});

describe('dropping unfinished outputs', () => {
  it('abortAllOutputs names the regular files dropped and whether one was there before; streams are closed, not listed', async () => {
    writeFileSync(join(dir, 'was-there.log'), 'old');
    const fifo = fifoWithReader('dropped-fifo');
    const created = await openIn('new.log');
    const replaced = await openIn('was-there.log');
    const stream = await openIn('dropped-fifo');
    const devNull = await openIn('/dev/null');
    expect([created.atomic, replaced.atomic, stream.atomic, devNull.atomic]).toEqual([true, true, false, false]);
    expect([created.targetExists, replaced.targetExists, stream.targetExists, devNull.targetExists]).toEqual([false, true, false, false]);
    for (const out of [created, replaced, stream, devNull]) out.line('unfinished');
    const aborted = abortAllOutputs();
    closeSync(fifo.reader);
    expect(aborted).toEqual([
      { name: 'new.log', kept: false },
      { name: 'was-there.log', kept: true },
    ]);
    expect(readFileSync(join(dir, 'was-there.log'), 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(abortAllOutputs()).toEqual([]);
  });

  it('describeAborted: what was not written, and which existing files were left as they were', () => {
    expect(describeAborted([])).toBe('');
    expect(describeAborted([{ name: 'a.log', kept: false }])).toBe('a.log not written');
    expect(describeAborted([{ name: 'a.log', kept: true }])).toBe('a.log not written (the existing a.log is left as it was)');
    expect(
      describeAborted([
        { name: 'a.log', kept: true },
        { name: 'b.json', kept: false },
        { name: 'c.txt', kept: true },
      ]),
    ).toBe('a.log, b.json, c.txt not written (the existing a.log, c.txt are left as they were)');
  });
});

describe('buffering: the text goes out in whole 1 MiB buffers, and nothing before', () => {
  const MiB = 1 << 20;
  /** Bytes in the output's temporary file so far. */
  const written = (name: string): number => statSync(join(dir, `.${name}.${process.pid}.tmp`)).size;

  it('text that just fits stays in the buffer; text that does not fit sends the buffer out first', async () => {
    const out = await openIn('buffered.txt');
    expect(out.buffer.length).toBe(MiB);
    out.line(''); // 1 byte
    // 349 525 ASCII characters count as 3 bytes each when checking room: 1 + 1 048 575 = 1 MiB, which fits.
    out.write('a'.repeat(349_525));
    out.write('b');
    expect(written('buffered.txt')).toBe(0);
    // Fill up to 10 bytes short of the end, then write 4 characters (12 bytes of room needed).
    const at = out.room(MiB - 349_527 - 10);
    out.wrote(MiB - 10);
    expect(at).toBe(349_527);
    out.buffer.fill(0x2e, at, MiB - 10);
    expect(written('buffered.txt')).toBe(0);
    out.write('cdef');
    expect(written('buffered.txt')).toBe(MiB - 10);
    out.commit();
    const text = readFileSync(join(dir, 'buffered.txt'));
    expect(text.length).toBe(MiB - 10 + 4);
    expect(text.subarray(MiB - 10).toString()).toBe('cdef');
    expect(text.subarray(0, MiB - 10).toString()).toBe(`\n${'a'.repeat(349_525)}b${'.'.repeat(MiB - 10 - 349_527)}`);
  });

  it('room and wrote: the whole buffer may be filled; room that fits flushes nothing, room that does not flushes all', async () => {
    const out = await openIn('room.txt');
    out.line(''); // 1 byte
    expect(out.room(5)).toBe(1);
    expect(written('room.txt')).toBe(0);
    out.wrote(1); // nothing added: allowed
    expect(out.room(MiB - 1)).toBe(1); // exactly to the end: fits
    out.buffer.fill(0x41, 1, MiB);
    out.wrote(MiB);
    expect(written('room.txt')).toBe(0);
    expect(out.room(1)).toBe(0);
    expect(written('room.txt')).toBe(MiB);
    expect(out.room(MiB)).toBe(0); // the whole buffer at once
    out.buffer.fill(0x42, 0, MiB);
    out.wrote(MiB);
    out.commit();
    const text = readFileSync(join(dir, 'room.txt'));
    expect(text.length).toBe(2 * MiB);
    expect(text[0]).toBe(0x0a);
    expect(text.subarray(1, MiB).every((b) => b === 0x41)).toBe(true);
    expect(text.subarray(MiB).every((b) => b === 0x42)).toBe(true);
  });

  it('a line whose text ends exactly at the buffer end keeps its line end', async () => {
    const out = await openIn('full-line.txt');
    // 3-byte characters fill the room the check counts exactly: 349 525 × 3 = 1 048 575 bytes, then 1 more.
    out.write('x');
    out.line('€'.repeat(349_525));
    out.line('next');
    out.commit();
    expect(readFileSync(join(dir, 'full-line.txt'), 'utf8')).toBe(`x${'€'.repeat(349_525)}\nnext\n`);
  });
});
