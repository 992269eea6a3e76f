/**
 * The seekable log: a seek anywhere equals folding up to that command (across a policy switch
 * too), from a fresh index and from one read back; the index is rebuilt, never trusted, when
 * it is stale, foreign, cut short or edited; a log that changed under a valid-looking index is
 * refused as a fold refuses it; a cut-off log is indexed up to its last whole command with
 * the reader's warning.
 */
import fc from 'fast-check';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpJson, POLICIES, type Policy } from '@lmm/core';
import type { RunPeak } from '@lmm/events';
import { propertyRuns } from '@lmm/testkit';
import { foldLog, indexPathOf, SeekableLog, type OpenLogOptions } from '@lmm/replay';
import { logText, opArb, resolve, run, settingsArb, writeLog, type Run } from './replayGen.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-seek-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs of up to 150 steps, a third of them with a policy switch (`run --switch`) somewhere. */
const runArb = fc
  .tuple(settingsArb, fc.array(opArb, { maxLength: 150, size: 'max' }), fc.option(fc.tuple(fc.nat(160), fc.constantFrom<Policy>(...POLICIES)), { freq: 2 }))
  .map(([settings, ops, change]) => run(change === null ? settings : { ...settings, change: { cmd: change[0], policy: change[1] } }, resolve(ops)));

/** Index options that make checkpoints every few hundred bytes of log and offsets every few commands. */
const dense = (stride: number, gap: number, places = 1): OpenLogOptions => ({ stride, checkpointEvery: stride * places, minCheckpointGap: gap, checkpointRatio: 0.5 });
const spacingArb = fc.record({ stride: fc.integer({ min: 1, max: 9 }), gap: fc.integer({ min: 1, max: 4000 }), places: fc.integer({ min: 1, max: 4 }) });

/** The peaks over commands 1…c of a run, as `PeakTap` gives them, for every c. */
function peaksOf(r: Run): RunPeak[] {
  const pageSize = r.settings.layout.pageSize;
  let live = 0;
  let liveCmd = 0;
  let pages = 0;
  let heapCmd = 0;
  return r.states.map((s, c) => {
    if (c > 0 && s.liveBytes > live) [live, liveCmd] = [s.liveBytes, c];
    if (c > 0 && s.pagesInUse > pages) [pages, heapCmd] = [s.pagesInUse, c];
    const heapBytes = pages * pageSize;
    return { liveBytes: live, heapBytes, pages, utilization: heapBytes === 0 ? 0 : live / heapBytes, liveCmd, heapCmd };
  });
}

/** Expects `log.at(c)` to be the run's state and peak after command c. */
async function expectSeeks(log: SeekableLog, r: Run, targets: readonly number[]): Promise<void> {
  const peaks = peaksOf(r);
  for (const c of targets) {
    const { state, peak } = await log.at(c);
    expect(dumpJson(state), `state after command ${c}`).toBe(dumpJson(r.states[c]!));
    expect(state.nextQseq, `next queue stamp after command ${c}`).toBe(r.states[c]!.nextQseq);
    expect(state.nextOrd, `next page ordinal after command ${c}`).toBe(r.states[c]!.nextOrd);
    expect(state.policy, `policy after command ${c}`).toBe(r.states[c]!.policy);
    expect([...state.families.values()].map((f) => [f.pageRequests, f.avoidableGrowth]), `page requests after command ${c}`).toEqual([...r.states[c]!.families.values()].map((f) => [f.pageRequests, f.avoidableGrowth]));
    expect(peak, `peak after command ${c}`).toEqual(peaks[c]);
  }
}

describe('seeking a fact log', () => {
  it('a seek anywhere, in any order, equals folding up to that command — from a fresh index and from the index read back', async () => {
    await fc.assert(
      fc.asyncProperty(runArb, spacingArb, fc.array(fc.nat(), { maxLength: 12 }), async (r, { stride, gap, places }, picks) => {
        const path = writeLog(tmp, r);
        const n = r.facts.length;
        const targets = [0, n, ...picks.map((p) => p % (n + 1))];
        const fresh = await SeekableLog.open(path, dense(stride, gap, places));
        expect(existsSync(indexPathOf(path))).toBe(true);
        expect(fresh.commands).toBe(n);
        expect(fresh.facts).toBe(r.facts.flat().length);
        await expectSeeks(fresh, r, targets);
        await fresh.close();
        const notes: string[] = [];
        const again = await SeekableLog.open(path, { ...dense(stride, gap, places), onNote: (m) => notes.push(m) });
        expect(notes).toEqual([]);
        await expectSeeks(again, r, [...targets].reverse());
        for (const c of targets.filter((t) => t > 0)) expect((await again.factsOf(c)).map(({ seq: _s, cmd: _c, ...f }) => f)).toStrictEqual(r.facts[c - 1]);
        await again.close();
      }),
      { numRuns: propertyRuns(60) },
    );
  });

  it('the summary holds the peaks and the first command each was reached at', async () => {
    await fc.assert(
      fc.asyncProperty(runArb, async (r) => {
        const log = await SeekableLog.open(writeLog(tmp, r));
        expect(log.peak).toEqual(peaksOf(r)[r.facts.length]);
        await log.close();
      }),
      { numRuns: propertyRuns(40) },
    );
  });

  it('the series keeps the min and max of every bucket: no peak is lost', async () => {
    await fc.assert(
      fc.asyncProperty(runArb, fc.constantFrom(2, 4, 8), async (r, maxBuckets) => {
        const log = await SeekableLog.open(writeLog(tmp, r), { maxBuckets, indexTo: 'memory' });
        const { bucket, values } = log.series;
        const n = r.facts.length;
        expect(values.length / 4).toBe(Math.ceil(n / bucket));
        expect(values.length / 4).toBeLessThanOrEqual(maxBuckets);
        for (let b = 0; b < values.length / 4; b++) {
          const states = r.states.slice(b * bucket + 1, Math.min(n, (b + 1) * bucket) + 1);
          expect([...values.subarray(4 * b, 4 * b + 4)]).toEqual([
            Math.min(...states.map((s) => s.liveBytes)),
            Math.max(...states.map((s) => s.liveBytes)),
            Math.min(...states.map((s) => s.pagesInUse)),
            Math.max(...states.map((s) => s.pagesInUse)),
          ]);
        }
        await log.close();
      }),
      { numRuns: propertyRuns(40) },
    );
  });
});

describe('an index that is not the log’s is rebuilt, never trusted', () => {
  const commands = resolve(fc.sample(opArb, { numRuns: 120, seed: 7 }));
  const base = run({ layout: { pageSize: 4096, pageHeaderSize: 0, metaSize: 28 }, policy: 'best-fit', maxPages: null }, commands);
  const grown = run(base.settings, [...commands, { op: 'free', id: 'never-allocated' }]);
  const other = run({ layout: { pageSize: 4096, pageHeaderSize: 0, metaSize: 28 }, policy: 'best-fit', maxPages: null }, resolve(fc.sample(opArb, { numRuns: 120, seed: 8 })));

  async function reopened(path: string): Promise<{ log: SeekableLog; notes: string[] }> {
    const notes: string[] = [];
    const log = await SeekableLog.open(path, { ...dense(3, 200), onNote: (m) => notes.push(m) });
    return { log, notes };
  }

  it('an index edited anywhere, or cut short anywhere, is rebuilt or refused at the checkpoint it damaged: seeks stay right', async () => {
    const path = writeLog(tmp, base);
    await (await SeekableLog.open(path, dense(3, 200))).close();
    const good = readFileSync(indexPathOf(path));
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), async (where, xor, cut) => {
        const i = where % good.length;
        writeFileSync(indexPathOf(path), cut ? good.subarray(0, i) : good.map((b, k) => (k === i ? b ^ xor : b)));
        const { log } = await reopened(path);
        await expectSeeks(log, base, [base.facts.length, 0, 77, 5, 100]);
        await log.close();
      }),
      { numRuns: propertyRuns(150) },
    );
  });

  it('a log that grew, shrank, was rewritten or is another log: its index is rebuilt, saying why', async () => {
    const path = writeLog(tmp, base);
    const idx = indexPathOf(path);
    await (await SeekableLog.open(path)).close();
    const original = readFileSync(path, 'utf8');
    // Another log's index.
    const otherPath = writeLog(tmp, other);
    await (await SeekableLog.open(otherPath)).close();
    copyFileSync(indexPathOf(otherPath), idx);
    let { log, notes } = await reopened(path);
    expect(notes.join('\n')).toMatch(/not used \(the log (is \d+ bytes|has another)/);
    await expectSeeks(log, base, [0, 50, base.facts.length]);
    await log.close();
    // The log rewritten with another run (the index stays).
    writeFileSync(path, logText(other));
    ({ log, notes } = await reopened(path));
    expect(notes).toHaveLength(1);
    await expectSeeks(log, other, [0, 50, other.facts.length]);
    await log.close();
    // The same size, time, header and last command, another middle: the seek's fold finds the
    // edit and the log is refused as a fold refuses it (its index is built again, which fails).
    // (Checkpoints only at the end, so that the seek below folds over the edit.)
    writeFileSync(path, original);
    const then = new Date(Date.now() - 60_000);
    utimesSync(path, then, then);
    await (await SeekableLog.open(path, dense(3, 1e9))).close();
    const lines = original.split('\n');
    const k = lines.findIndex((l, i) => i > lines.length / 2 && l.includes('"Allocated"') && l.includes('"gap":0'));
    expect(k).toBeGreaterThan(0);
    writeFileSync(path, lines.map((l, i) => (i === k ? l.replace('"gap":0', '"gap":1') : l)).join('\n'));
    utimesSync(path, then, then);
    const editedCmd = (JSON.parse(lines[k]!) as { cmd: number }).cmd;
    const refusal = await foldLog(path).then(
      () => 'accepted',
      (e: Error) => e.message,
    );
    expect(refusal).toMatch(new RegExp(`:${k + 1}: command ${editedCmd}: Allocated fact has gap 1`));
    log = await SeekableLog.open(path, dense(3, 1e9));
    await expect(log.at(editedCmd)).rejects.toThrow(refusal);
    await log.close();
    // Appended to, then cut back: rebuilt each time.
    writeFileSync(path, original);
    await (await SeekableLog.open(path)).close();
    // Touched: rebuilt.
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    ({ log, notes } = await reopened(path));
    expect(notes).toEqual([`${idx}: not used (the log was written after it); building the index again`]);
    await log.close();
    await (await SeekableLog.open(path)).close();
    const more = logText(grown);
    expect(more.startsWith(original)).toBe(true);
    appendFileSync(path, more.slice(original.length));
    ({ log, notes } = await reopened(path));
    expect(notes[0]).toMatch(/not used \(the log is \d+ bytes, the index is of \d+\)/);
    expect(log.commands).toBe(base.facts.length + 1);
    await expectSeeks(log, grown, [0, 50, grown.facts.length]);
    await log.close();
    writeFileSync(path, original);
    truncateSync(path, statSync(path).size - 1);
    ({ log, notes } = await reopened(path));
    expect(notes).toHaveLength(1);
    await expectSeeks(log, base, [base.facts.length]);
    await log.close();
  });
});

describe('a log whose last line was cut off', () => {
  it('is indexed up to its last whole command, with the warning and refusal foldLog gives, from a fresh index and the index read back', async () => {
    await fc.assert(
      fc.asyncProperty(runArb.filter((r) => r.facts.length > 4), fc.nat(), async (r, where) => {
        const text = logText(r);
        const headerEnd = text.indexOf('\n') + 1;
        const cutAt = headerEnd + 1 + (where % (text.length - headerEnd - 2));
        if (text[cutAt - 1] === '\n') return;
        const path = join(tmp, `cut${where}.jsonl`);
        writeFileSync(path, text.slice(0, cutAt));
        rmSync(indexPathOf(path), { force: true });
        const warnings: string[] = [];
        const folded = await foldLog(path, { onWarning: (e) => warnings.push(e.message) });
        const strict = await foldLog(path, { strict: true }).then(
          () => 'accepted',
          (e: Error) => e.message,
        );
        for (let round = 0; round < 2; round++) {
          const seen: string[] = [];
          const log = await SeekableLog.open(path, { ...dense(2, 100), onWarning: (e) => seen.push(e.message) });
          expect(seen).toEqual(warnings);
          expect(log.commands).toBe(folded.commands);
          await expectSeeks(log, r, [folded.commands, 0, Math.floor(folded.commands / 2)]);
          await log.close();
          const refused = await SeekableLog.open(path, { strict: true }).then(
            async (l) => (await l.close(), 'accepted'),
            (e: Error) => e.message,
          );
          expect(refused).toBe(strict);
        }
      }),
      { numRuns: propertyRuns(40) },
    );
  });
});
