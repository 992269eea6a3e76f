import type { Layout, LoggedFact } from '@lmm/core';
import { ByteReader, ByteWriter } from './bytes.js';
import { factAt } from './factAt.js';
import { HeapModel, type ModelSnapshot } from './heapModel.js';
import type { RunMeta } from './pageMeta.js';
import type { Ids, RunFacts } from './runFacts.js';
import { decodeSnapshot, encodeSnapshot } from './snapshotCodec.js';

/**
 * A run's last state, made when the page is written, so the page can draw it before it has
 * decoded a single fact: the model's snapshot, the ids of the blocks live in it, and the
 * facts of the last command.
 */
export interface EndState {
  readonly snapshot: ModelSnapshot;
  /** Id strings by id index, for the blocks allocated in the snapshot. */
  readonly ids: ReadonlyMap<number, string>;
  /** The facts of the run's last command, as logged. */
  readonly facts: readonly LoggedFact[];
}

/** The last state of a decoded run. O(facts) (it folds the run). */
export function endStateOf(run: RunFacts): EndState {
  const model = new HeapModel(run);
  model.foldTo(run.commands);
  const snapshot = model.snapshot();
  const ids = new Map<number, string>();
  for (let b = 3; b < snapshot.blocks.length; b += 5) {
    const id = snapshot.blocks[b]! - 1;
    if (id >= 0) ids.set(id, run.ids.get(id));
  }
  const facts: LoggedFact[] = [];
  for (let i = run.firstFact[run.commands]!; i < run.count; i++) facts.push(factAt(run, i));
  return { snapshot, ids, facts };
}

/** The end state as bytes: a JSON part (ids, facts), then the snapshot. */
export function encodeEndState(end: EndState, layout: Layout): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify({ ids: [...end.ids], facts: end.facts }));
  const snap = encodeSnapshot(end.snapshot, layout);
  const head = new ByteWriter();
  head.uint(json.length);
  const h = head.bytes();
  const out = new Uint8Array(h.length + json.length + snap.length);
  out.set(h, 0);
  out.set(json, h.length);
  out.set(snap, h.length + json.length);
  return out;
}

/** Reads what `encodeEndState` wrote. */
export function decodeEndState(bytes: Uint8Array, layout: Layout): EndState {
  const r = new ByteReader(bytes);
  const json = JSON.parse(new TextDecoder().decode(r.take(r.uint()))) as { ids: [number, string][]; facts: LoggedFact[] };
  const snapshot = decodeSnapshot(r.take(r.remaining), layout);
  return { snapshot, ids: new Map(json.ids), facts: json.facts };
}

/**
 * A stand-in for a run whose facts are not decoded yet: enough for a HeapModel restored from
 * the end state to be drawn, described and dumped. It has no facts to fold.
 */
export function previewRun(meta: RunMeta, end: EndState): RunFacts {
  const families: string[] = [];
  for (const f of end.snapshot.families) families[f.table] = f.name;
  const ids: Ids = {
    length: end.ids.size,
    get: (i) => {
      const id = end.ids.get(i);
      if (id === undefined) throw new RangeError(`id ${i} is not in the last state`);
      return id;
    },
  };
  const none = new Float64Array(0);
  return {
    header: meta.header,
    count: 0,
    commands: meta.commands,
    families,
    ids,
    rejections: [],
    kind: new Uint8Array(0),
    cmd: new Uint32Array(0),
    fam: new Uint32Array(0),
    page: none,
    off: none,
    size: none,
    units: none,
    gap: none,
    moff: none,
    msize: none,
    id: new Uint32Array(0),
    from: new Uint32Array(0),
    firstFact: new Uint32Array(0),
  };
}
