// @lmm/events: a trace file as a cold Observable of commands, piped through the engine as an
// RxJS operator; the facts stream out with their seq and cmd, as a fact log holds them.
// Run from the repository root: node examples/events-stream.mjs [TRACE]
import { lastValueFrom, map, reduce, share } from 'rxjs';
import { heapFacts, ofType, traceCommands } from '@lmm/events';
import { initialState, LAYOUTS } from '@lmm/core';

const trace = process.argv[2] ?? 'scenarios/page-limit.jsonl';
const layout = LAYOUTS.seed;

// One run, shared by the two consumers below (share: the trace is read once).
const facts = traceCommands(trace, { layout, format: 'jsonl' }).pipe(
  map((c) => c.command),
  heapFacts(initialState({ layout, policy: 'worst-fit', maxPages: 2 })),
  share(),
);

facts.subscribe((fact) => console.log(JSON.stringify(fact)));

// The page traffic alone: ofType narrows the facts to the types named.
const pages = await lastValueFrom(
  facts.pipe(
    ofType('PageRequest', 'PageRelease'),
    reduce((n, f) => n + (f.type === 'PageRequest' ? f.count : -f.count), 0),
  ),
);
console.log(`pages in use at the end, counted from the page facts alone: ${pages}`);
