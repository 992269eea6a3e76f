import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { abortAllOutputs, OutputFile } from '../src/outputFile.js';
import { outputTarget } from '../src/outputTarget.js';
import { UsageError } from '../src/usageError.js';
import { propertyRuns } from '@lmm/testkit';

const dir = mkdtempSync(join(tmpdir(), 'lmm-output-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A piece of output: mostly short lines, sometimes one bigger than the 1 MiB buffer, in any script (1–4 UTF-8 bytes a character). */
const pieceArb = fc.oneof(
  { weight: 20, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 2000 }).map((s) => s.repeat(200)) },
  { weight: 1, arbitrary: fc.constantFrom('€', '𝄞', 'ä', 'x').map((c) => c.repeat(400_000)) },
);

describe('OutputFile', () => {
  it('the committed file holds exactly the text written, whatever the sizes and characters', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.boolean(), pieceArb), { maxLength: 60, size: 'max' }), async (pieces) => {
        const target = join(dir, `out${++n}.txt`);
        const out = await OutputFile.open(target);
        let expected = '';
        for (const [asLine, text] of pieces) {
          if (asLine) out.line(text);
          else out.write(text);
          expected += asLine ? `${text}\n` : text;
        }
        out.commit();
        expect(readFileSync(target).equals(Buffer.from(expected, 'utf8'))).toBe(true);
        rmSync(target);
      }),
      { numRuns: propertyRuns(40) },
    );
  });

  it('bytes put into its buffer (room, wrote) go out in order with lines and text, across buffer flushes', async () => {
    let n = 0;
    const bytesArb = fc.uint8Array({ maxLength: 5000 }).chain((b) => fc.constantFrom(b, new Uint8Array(300_000).fill(0x41)));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.tuple(fc.constant('bytes' as const), bytesArb), fc.tuple(fc.constant('line' as const), pieceArb)), { maxLength: 40 }), async (pieces) => {
        const target = join(dir, `bytes${++n}.txt`);
        const out = await OutputFile.open(target);
        const expected: Buffer[] = [];
        for (const [what, piece] of pieces) {
          if (what === 'line') {
            out.line(piece);
            expected.push(Buffer.from(`${piece}\n`, 'utf8'));
          } else {
            const at = out.room(piece.length);
            out.buffer.set(piece, at);
            out.wrote(at + piece.length);
            expected.push(Buffer.from(piece));
          }
        }
        out.commit();
        expect(readFileSync(target).equals(Buffer.concat(expected))).toBe(true);
        rmSync(target);
      }),
      { numRuns: propertyRuns(30) },
    );
  });

  it('refuses room beyond its buffer and an end outside the room', async () => {
    const target = join(dir, 'room.txt');
    const out = await OutputFile.open(target);
    expect(() => out.room(out.buffer.length + 1)).toThrow(RangeError);
    const at = out.room(10);
    expect(() => out.wrote(at - 1)).toThrow(RangeError);
    expect(() => out.wrote(out.buffer.length + 1)).toThrow(RangeError);
    out.abort();
  });

  it('an aborted file leaves nothing behind, however much was buffered or written', async () => {
    const target = join(dir, 'aborted.txt');
    const out = await OutputFile.open(target);
    for (let i = 0; i < 50_000; i++) out.line(`{"seq":${i},"type":"Allocated"}`);
    out.abort();
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('aborted'))).toEqual([]);
  });
});

/**
 * Makes a FIFO at `path` and starts another process reading it to the end into a file (a
 * reader in this process could not read while a write here waits for it).
 */
function fifoReader(path: string): Promise<string> {
  execFileSync('mkfifo', [path]);
  const copy = `${path}.copy`;
  const cat = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', path, copy], { stdio: 'ignore' });
  return new Promise((resolve, reject) => cat.on('error', reject).on('close', () => resolve(readFileSync(copy, 'utf8'))));
}

/** A copy of /dev/null's device node (root may make one), or undefined where mknod is not allowed. */
function nullDevice(path: string): string | undefined {
  try {
    execFileSync('mknod', [path, 'c', '1', '3'], { stdio: 'ignore' });
    return path;
  } catch {
    return undefined;
  }
}

describe('OutputFile targets', () => {
  it('a regular file is replaced whole, keeping its mode', async () => {
    const target = join(dir, 'mode.txt');
    writeFileSync(target, 'old');
    chmodSync(target, 0o640);
    const out = await OutputFile.open(target);
    out.line('new');
    out.commit();
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    expect(statSync(target).mode & 0o7777).toBe(0o640);
  });

  it('a read-only file is refused before anything is written (as root too), and stays as it was', async () => {
    const target = join(dir, 'readonly.txt');
    writeFileSync(target, 'keep');
    chmodSync(target, 0o444);
    await expect(OutputFile.open(target)).rejects.toThrow(/readonly\.txt: is read-only \(mode 0444\)/);
    expect(readFileSync(target, 'utf8')).toBe('keep');
    expect(statSync(target).mode & 0o7777).toBe(0o444);
    expect(readdirSync(dir).filter((f) => f.includes('readonly.txt.'))).toEqual([]);
  });

  it('a symbolic link to a regular file stays a link: its target is replaced', async () => {
    const target = join(dir, 'linked.txt');
    const link = join(dir, 'link.txt');
    writeFileSync(target, 'old');
    symlinkSync('linked.txt', link);
    const out = await OutputFile.open(link);
    out.line('through the link');
    out.commit();
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('linked.txt');
    expect(readFileSync(target, 'utf8')).toBe('through the link\n');
  });

  it('a link to a file not yet there creates the file where it points', async () => {
    const link = join(dir, 'dangling.txt');
    symlinkSync('created.txt', link);
    const out = await OutputFile.open(link);
    out.line('x');
    out.commit();
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'created.txt'), 'utf8')).toBe('x\n');
  });

  it('a FIFO is written in place: the reader gets every byte, the FIFO stays a FIFO', async () => {
    const fifo = join(dir, 'fifo');
    const read = fifoReader(fifo);
    const out = await OutputFile.open(fifo);
    expect(out.takesStdout).toBe(false);
    let expected = '';
    // More than the 1 MiB buffer and the 64 KiB pipe: the writes wait for the reader.
    for (let i = 0; i < 60_000; i++) {
      const line = `{"seq":${i},"type":"Allocated","id":"a${i}"}`;
      out.line(line);
      expected += `${line}\n`;
    }
    out.commit();
    expect(await read).toBe(expected);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('.fifo.') && f.endsWith('.tmp'))).toEqual([]);
  });

  it('an aborted FIFO output (an error, a signal) removes nothing: there is no temporary file', async () => {
    const fifo = join(dir, 'fifo-aborted');
    const read = fifoReader(fifo);
    const out = await OutputFile.open(fifo);
    out.line('partial');
    expect(abortAllOutputs()).toEqual([]);
    await read;
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('a character device (a copy of /dev/null) is written in place, not replaced', async () => {
    const device = nullDevice(join(dir, 'null'));
    // Where mknod is not allowed, the classification of the real /dev/null is checked (nothing written to it).
    if (device === undefined) {
      expect(outputTarget('/dev/null').kind).toBe('special');
      return;
    }
    const out = await OutputFile.open(device);
    out.line('gone');
    out.commit();
    expect(statSync(device).isCharacterDevice()).toBe(true);
    expect(outputTarget('/dev/null').kind).toBe('special');
  });

  it('- is standard output; two outputs to it, an empty name or a directory are usage errors', async () => {
    expect(outputTarget('-').kind).toBe('stdout');
    const first = await OutputFile.open('-');
    expect(first.takesStdout).toBe(true);
    await expect(OutputFile.open('-')).rejects.toThrow(/named twice/);
    first.abort();
    await expect(OutputFile.open('')).rejects.toThrow(UsageError);
    await expect(OutputFile.open(dir)).rejects.toThrow(/is a directory/);
  });
});
