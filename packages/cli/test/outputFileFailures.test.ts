/**
 * OutputFile when writing fails: a regular file's old content stays and no temporary file is
 * left; a stream's error names the file; a closed standard output ends quietly; descriptors
 * that are not the output's own are never closed. Failures the system will not give on
 * demand (a full disk, EIO, EAGAIN) are planted in `node:fs` (`withFsFaults`).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { propertyRuns } from '@lmm/testkit';
import { abortAllOutputs, ClosedStdout, OutputError, OutputFile } from '../src/outputFile.js';
import { errno, withFsFaults } from './fsFaults.js';

const dir = mkdtempSync(join(tmpdir(), 'lmm-output-failures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Temporary files (`.NAME.PID.tmp`) in `dir`. */
const temps = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

/** What `f` throws (it must throw). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

/** Lines of `n` JSON-ish records: over 1 MiB for n = 40 000, so they go out in several writes. */
function records(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `{"seq":${i},"type":"Allocated","id":"a${i}"}`);
}

describe('a regular file whose write fails part-way', () => {
  it('a full disk after the first megabyte: OutputError naming the file, old content kept, no temporary file', async () => {
    const target = join(dir, 'full.log');
    writeFileSync(target, 'old content\n');
    const out = await OutputFile.open(target);
    let writes = 0;
    const e = thrown(() =>
      withFsFaults(
        {
          writeSync: (real, fd, data, offset, length) => {
            if (++writes > 1) throw errno('ENOSPC');
            return real(fd, data, offset, length);
          },
        },
        () => {
          for (const line of records(60_000)) out.line(line);
          out.commit();
        },
      ),
    );
    // The first 1 MiB buffer went into the temporary file; the second write failed.
    expect(writes).toBe(2);
    expect(e).toBeInstanceOf(OutputError);
    expect((e as Error).name).toBe('OutputError');
    expect((e as Error).message).toBe(`${target}: cannot write: no space left on the device; no output file was written`);
    expect(readFileSync(target, 'utf8')).toBe('old content\n');
    expect(temps()).toEqual([]);
    // Dropped already: nothing is left for the clean-up at exit.
    expect(abortAllOutputs()).toEqual([]);
  });

  it('a new file that fails at commit is not created', async () => {
    const target = join(dir, 'never.log');
    const out = await OutputFile.open(target);
    out.line('x');
    expect(() => withFsFaults({ writeSync: () => { throw errno('EIO'); } }, () => out.commit())).toThrow(`${target}: cannot write: EIO; no output file was written`);
    expect(existsSync(target)).toBe(false);
    expect(temps()).toEqual([]);
  });

  it('a flush to disk that fails (EIO at fsync) is a failed write: the old file stays', async () => {
    const target = join(dir, 'fsync.log');
    writeFileSync(target, 'old\n');
    const out = await OutputFile.open(target);
    out.line('new');
    let synced = 0;
    const e = thrown(() =>
      withFsFaults(
        {
          fsyncSync: () => {
            synced++;
            throw errno('EIO');
          },
        },
        () => out.commit(),
      ),
    );
    expect(synced).toBe(1);
    expect(e).toBeInstanceOf(OutputError);
    expect((e as Error).message).toBe(`${target}: cannot write: EIO; no output file was written`);
    expect(readFileSync(target, 'utf8')).toBe('old\n');
    expect(temps()).toEqual([]);
  });

  it('a rename that fails (a directory appeared at the name meanwhile) leaves that directory and no temporary file', async () => {
    const target = join(dir, 'became-dir');
    const out = await OutputFile.open(target);
    out.line('x');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'keep');
    expect(() => out.commit()).toThrow(`${target}: cannot write: is a directory; no output file was written`);
    expect(readFileSync(join(target, 'inside'), 'utf8')).toBe('keep');
    expect(temps()).toEqual([]);
  });

  it('writes taken in pieces and EAGAINs on the way lose nothing: the file holds exactly the text', async () => {
    // Steps, cycled: each takes only part of what is offered, after an EAGAIN (try again later) or not.
    const stepArb = fc.record({ eagain: fc.boolean(), take: fc.double({ min: 0.25, max: 1, noNaN: true }) });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 30_000 }), async (steps, lines) => {
        const target = join(dir, `pieces${++n}.log`);
        const out = await OutputFile.open(target);
        const text = records(lines);
        let call = 0;
        let refused = false;
        withFsFaults(
          {
            writeSync: (real, fd, data, offset, length) => {
              const step = steps[call % steps.length]!;
              if (step.eagain && !refused) {
                refused = true;
                throw errno('EAGAIN');
              }
              refused = false;
              call++;
              return real(fd, data, offset, Math.max(1, Math.floor(length * step.take)));
            },
          },
          () => {
            for (const line of text) out.line(line);
            out.commit();
          },
        );
        expect(readFileSync(target, 'utf8')).toBe(text.map((l) => `${l}\n`).join(''));
        rmSync(target);
      }),
      { numRuns: propertyRuns(15) },
    );
  });
});

describe('a stream whose write fails', () => {
  it('a FIFO whose reader went away: OutputError naming it (nothing to remove, so no "no output file" clause)', async () => {
    const fifo = join(dir, 'gone-reader');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const out = await OutputFile.open(fifo);
    closeSync(reader);
    out.line('nobody reads this');
    const e = thrown(() => out.commit());
    expect(e).toBeInstanceOf(OutputError);
    expect(e).not.toBeInstanceOf(ClosedStdout);
    expect((e as Error).message).toBe(`${fifo}: cannot write: the reader of the pipe went away`);
    expect(abortAllOutputs()).toEqual([]);
  });

  it('standard output closed by its reader (EPIPE): ClosedStdout, not an error — and descriptor 1 is not closed', async () => {
    const out = await OutputFile.open('-');
    const calls = withFsFaults({ writeSync: () => { throw errno('EPIPE'); } }, (c) => {
      const e = thrown(() => {
        out.line('to a closed pipe');
        out.commit();
      });
      expect(e).toBeInstanceOf(ClosedStdout);
      expect((e as Error).name).toBe('ClosedStdout');
      expect((e as Error).message).toBe('-: the reader closed standard output');
      return c;
    });
    expect(calls.stdio).toEqual(['write 1']);
    expect(abortAllOutputs()).toEqual([]);
  });

  it('standard output failing otherwise (a full disk it was redirected to) is an OutputError', async () => {
    const out = await OutputFile.open('-');
    withFsFaults({ writeSync: () => { throw errno('ENOSPC'); } }, () => {
      out.line('x');
      expect(() => out.commit()).toThrow(new OutputError('-: cannot write: no space left on the device'));
    });
  });
});

describe('descriptors', () => {
  /** Descriptors this process has open now. */
  const openFds = (): number => readdirSync('/proc/self/fd').length;

  it('committing or aborting a regular file closes its descriptor (a command with many outputs leaks none)', async () => {
    const before = openFds();
    const a = await OutputFile.open(join(dir, 'fd-a.log'));
    const b = await OutputFile.open(join(dir, 'fd-b.log'));
    expect(openFds()).toBe(before + 2);
    a.line('a');
    a.commit();
    b.abort();
    expect(openFds()).toBe(before);
  });

  it('standard output is written, never closed, whether the output is committed or aborted', async () => {
    const committed = await OutputFile.open('-');
    const calls = withFsFaults({}, (c) => {
      committed.line('x');
      committed.commit();
      return c;
    });
    expect(calls.stdio).toEqual(['write 1']);
    const aborted = await OutputFile.open('-');
    expect(withFsFaults({}, (c) => (aborted.abort(), c)).stdio).toEqual([]);
  });

  it('abort after commit, or twice, closes nothing else and leaves the committed file', async () => {
    const target = join(dir, 'twice.log');
    const out = await OutputFile.open(target);
    out.line('kept');
    const calls = withFsFaults({}, (c) => {
      out.commit();
      out.abort();
      out.abort();
      return c;
    });
    expect(calls.stdio).toEqual([]);
    expect(readFileSync(target, 'utf8')).toBe('kept\n');

    const dropped = await OutputFile.open(join(dir, 'dropped.log'));
    expect(withFsFaults({}, (c) => (dropped.abort(), dropped.abort(), c)).stdio).toEqual([]);
  });
});
