// @lmm/events: the engine as an RxJS operator. A trace file is a cold Observable of command
// batches; `runCommands` runs each batch on one engine and emits what it did (facts, live
// bytes and pages after every command) without a snapshot per command; taps follow the run.
// Run from the repository root: node examples/events-stream.mjs [TRACE]
import { lastValueFrom, tap } from 'rxjs';
import { initialState, LAYOUTS } from '@lmm/core';
import { PeakTap, RejectionTap, runCommands } from '@lmm/events';
import { traceBatches } from '@lmm/replay';

const trace = process.argv[2] ?? 'scenarios/page-limit.jsonl';
const layout = LAYOUTS.seed;
const peaks = new PeakTap(layout.pageSize);
const counts = new RejectionTap();

await lastValueFrom(
  traceBatches(trace, { layout, format: 'jsonl' }).pipe(
    runCommands(initialState({ layout, policy: 'worst-fit', maxPages: 2 })),
    tap(peaks),
    tap(counts),
    tap((batch) => {
      // Every fact with the command that caused it.
      let k = 0;
      for (let i = 0; i < batch.count; i++) {
        for (; k < batch.factEnds[i]; k++) console.log(`command ${batch.first + i}: ${JSON.stringify(batch.facts[k])}`);
      }
    }),
  ),
);
const p = peaks.peak;
console.log(`${counts.commands} commands, ${counts.facts} facts, rejected: ${JSON.stringify(counts.rejected)}`);
console.log(`peak: ${p.liveBytes} live bytes (after command ${p.liveCmd}) in ${p.heapBytes} heap bytes (after command ${p.heapCmd})`);
