import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputFile } from '../src/outputFile.js';

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
      { numRuns: 40 },
    );
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
