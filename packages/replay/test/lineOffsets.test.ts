/**
 * `readLines` with byte offsets and a start position: every reported offset is where its line
 * begins in the file, and reading on from any line's offset gives the same lines after it.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLines } from '@lmm/replay';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-lines-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const lineArb = fc.oneof(fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n\0]/g, '')), fc.constantFrom('', ' ', 'é😀', 'x'.repeat(70)));
const fileArb = fc.record({
  lines: fc.array(lineArb, { minLength: 1, maxLength: 30 }),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  terminated: fc.boolean(),
  chunkBytes: fc.integer({ min: 4, max: 64 }),
});

async function read(path: string, chunkBytes: number, start?: { offset: number; line: number }) {
  const text: string[] = [];
  const offsets: number[] = [];
  const firsts: number[] = [];
  for await (const c of readLines(path, { chunkBytes, offsets: true, allowEmpty: true, ...(start ? { start } : {}) })) {
    text.push(...c.text);
    offsets.push(...c.offsets!.slice(0, -1));
    firsts.push(c.first);
    expect(c.offsets!.length).toBe(c.text.length + 1);
  }
  return { text, offsets, firsts };
}

describe('readLines offsets', () => {
  it('each offset is where its line begins, and reading from any of them gives the lines after it', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fileArb, fc.nat(), async ({ lines, crlf, bom, terminated, chunkBytes }, pick) => {
        const eol = crlf ? '\r\n' : '\n';
        const body = lines.join(eol) + (terminated ? eol : '');
        const path = join(tmp, `f${n++ % 4}`);
        writeFileSync(path, (bom ? '\ufeff' : '') + body);
        const bytes = readFileSync(path);
        const all = await read(path, chunkBytes);
        expect(all.text).toEqual(terminated || lines.at(-1) !== '' ? lines : lines.slice(0, -1));
        all.text.forEach((t, i) => {
          const at = all.offsets[i]!;
          expect(bytes.subarray(at, at + Buffer.byteLength(t)).toString('utf8')).toBe(t);
          if (i > 0) expect(bytes[at - 1]).toBe(0x0a);
        });
        if (all.text.length === 0) return;
        const k = pick % all.text.length;
        const rest = await read(path, chunkBytes, { offset: all.offsets[k]!, line: k + 1 });
        expect(rest.text).toEqual(all.text.slice(k));
        expect(rest.offsets).toEqual(all.offsets.slice(k));
        expect(rest.firsts[0]).toBe(k + 1);
      }),
      { numRuns: 300 },
    );
  });
});
