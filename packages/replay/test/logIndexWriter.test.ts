/**
 * The index `lmm run --facts` writes while it runs (`LogIndexWriter`, a tap beside the fact-log
 * writer) is the index a full checked fold of the finished log builds (`buildIndex`), byte for
 * byte, however the run's commands were batched; a sink that fails part-way fails the index,
 * not the process.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from, lastValueFrom, tap } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { initialState, policyAfter, POLICIES, type Policy } from '@lmm/core';
import { runCommands, type RunBatch, type SourcedCommand } from '@lmm/events';
import { buildIndex, checkpointPlaces, FACT_LINE_ROOM, FactLogWriter, IndexBuilder, IndexMemorySink, indexPathOf, IndexWriteError, isByteSink, LogIndexWriter, makeHeader, type ByteSink, type IndexBuilderOptions } from '@lmm/replay';
import { propertyRuns } from '@lmm/testkit';
import { opArb, resolve, settingsArb, type RunSettings } from './replayGen.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-index-writer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const changeArb = fc.option(fc.tuple(fc.nat(160), fc.constantFrom<Policy>(...POLICIES)), { freq: 2 });
const optionsArb: fc.Arbitrary<IndexBuilderOptions> = fc
  .record({ stride: fc.integer({ min: 1, max: 9 }), places: fc.integer({ min: 1, max: 4 }), gap: fc.integer({ min: 1, max: 3000 }) })
  .map(({ stride, places, gap }) => ({ stride, checkpointEvery: stride * places, minCheckpointGap: gap, checkpointRatio: 0.5 }));

/** Runs `commands` through the pipeline as `lmm run` does, in batches of the given sizes, calling `onBatch` after the fact-log writer. */
async function runPipeline(settings: RunSettings, commands: readonly unknown[], sizes: readonly number[], lines: { line(text: string): void }, every: number, onBatch: (b: RunBatch) => void): Promise<RunBatch | undefined> {
  const batches: SourcedCommand[][] = [];
  for (let at = 0, k = 0; at < commands.length; k++) {
    const n = sizes.length === 0 ? commands.length : Math.max(1, sizes[k % sizes.length]!);
    batches.push(commands.slice(at, at + n).map((command, i) => ({ command, line: at + i + 1 })));
    at += n;
  }
  const { change } = settings;
  const writer = new FactLogWriter(lines, makeHeader(settings.layout, settings.policy, settings.maxPages, change));
  let last: RunBatch | undefined;
  await lastValueFrom(
    from(batches).pipe(
      runCommands(initialState({ ...settings, policy: policyAfter(settings.policy, change, 0) }), { cutEvery: [every], ...(change === undefined ? {} : { switchAt: change }) }),
      tap((b) => {
        writer.next(b);
        onBatch(b);
        last = b;
      }),
    ),
    { defaultValue: undefined },
  );
  return last;
}

/** A `ByteSink` in memory with a small buffer (so lines often wait for room), as `lmm run`'s output file lends its buffer. */
class MemoryByteSink implements ByteSink {
  readonly buffer = new Uint8Array(FACT_LINE_ROOM + 100);
  private at = 0;
  private readonly done: Uint8Array[] = [];
  private flush(): void {
    this.done.push(this.buffer.slice(0, this.at));
    this.at = 0;
  }
  line(text: string): void {
    this.flush();
    this.done.push(Buffer.from(`${text}\n`));
  }
  room(n: number): number {
    if (this.at + n > this.buffer.length) this.flush();
    return this.at;
  }
  wrote(end: number): void {
    this.at = end;
  }
  bytes(): Buffer {
    this.flush();
    return Buffer.concat(this.done);
  }
}

describe('LogIndexWriter', () => {
  it('writes, beside the log it is told about, the index buildIndex makes from that log, whether the log is written as strings or as bytes into a lent buffer', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(settingsArb, fc.array(opArb, { maxLength: 150, size: 'max' }), changeArb, optionsArb, fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 5 }), fc.boolean(), async (base, ops, change, options, sizes, lendsBuffer) => {
        const settings = change === null ? base : { ...base, change: { cmd: change[0], policy: change[1] } };
        const path = join(tmp, `run${n++}.log`);
        const text: string[] = [];
        const lent = lendsBuffer ? new MemoryByteSink() : undefined;
        const index = new LogIndexWriter(path, options);
        const sink = index.lines(lent ?? { line: (t) => text.push(t) });
        expect(isByteSink(sink)).toBe(lendsBuffer);
        const last = await runPipeline(settings, resolve(ops), sizes, sink, checkpointPlaces(options), (b) => index.next(b));
        writeFileSync(path, lent === undefined ? `${text.join('\n')}\n` : lent.bytes());
        await index.finish(last?.snapshot() ?? initialState({ ...settings, policy: policyAfter(settings.policy, settings.change, 0) }));
        const built = new IndexMemorySink();
        await buildIndex(path, built, options);
        expect(Buffer.from(readFileSync(indexPathOf(path))).equals(Buffer.from(built.bytes()))).toBe(true);
      }),
      { numRuns: propertyRuns(60) },
    );
  });
});

describe('IndexBuilder', () => {
  // A fold hardly lets the event loop turn: a checkpoint left to be written later would wait in
  // memory, and a long run's memory would grow with its length.
  it('writes each checkpoint to the sink in the batch call that makes it', async () => {
    await fc.assert(
      fc.asyncProperty(settingsArb, fc.array(opArb, { minLength: 2, maxLength: 60 }), async (settings, ops) => {
        let writes = 0;
        const builder = new IndexBuilder({ write: () => void writes++ }, { stride: 1, checkpointEvery: 1, minCheckpointGap: 1, checkpointRatio: 0 });
        let bytes = 10;
        const during: number[] = [];
        await runPipeline(settings, resolve(ops), [], { line: () => undefined }, 1, (b) => {
          builder.entry(b.first, bytes, b.firstSeq + 1, b.firstSeq - 1);
          bytes += 100;
          const before = writes;
          builder.batch(b);
          during.push(writes - before);
        });
        // The log grew by 100 bytes since the last checkpoint before every command but the first.
        expect(during).toEqual(during.map((_, i) => (i === 0 ? 0 : 1)));
      }),
      { numRuns: propertyRuns(20) },
    );
  });

  it('a sink that fails part-way (a full disk) makes finish reject with its error, and stops the writes', async () => {
    await fc.assert(
      fc.asyncProperty(settingsArb, fc.array(opArb, { minLength: 20, maxLength: 150, size: 'max' }), fc.nat({ max: 12 }), async (settings, ops, failAt) => {
        let writes = 0;
        let afterFailure = 0;
        const sink = {
          write: () => {
            if (writes > failAt) afterFailure++;
            if (writes++ === failAt) throw new IndexWriteError('no space left on the device');
          },
        };
        let builder: IndexBuilder;
        try {
          builder = new IndexBuilder(sink, { stride: 1, checkpointEvery: 1, minCheckpointGap: 1, checkpointRatio: 0.1 });
        } catch (e) {
          expect(e).toBeInstanceOf(IndexWriteError);
          return;
        }
        let bytes = 10;
        const last = await runPipeline(settings, resolve(ops), [], { line: () => undefined }, 1, (b) => {
          builder.entry(b.first, bytes, b.firstSeq + 1, b.firstSeq - 1);
          bytes += 100;
          builder.batch(b);
        });
        const source = { logBytes: 0, mtimeUs: 0, headerEnd: 10, headerHash: new Uint8Array(32), lastStart: 10, lastHash: new Uint8Array(32), cut: null };
        await expect(builder.finish(last!.snapshot(), source)).rejects.toThrow(IndexWriteError);
        expect(afterFailure).toBe(0);
      }),
      { numRuns: propertyRuns(40) },
    );
  });
});
