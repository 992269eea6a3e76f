import { ByteReader, ByteWriter, type Layout, type LoggedFact } from '@lmm/core';
import { factAt } from './factAt.js';
import { HeapModel, type ModelSnapshot } from './heapModel.js';
import type { RunMeta } from './pageMeta.js';
import type { Ids, RunFacts } from './runFacts.js';
import { decodeSnapshot, encodeSnapshot } from './snapshotCodec.js';

/**
 * A run's state at the command the page opens at, made when the page is written, so the
 * page can draw it before it has decoded a single fact: the command, the model's snapshot,
 * the ids of the blocks live in it, and the facts of that command.
 */
export interface OpeningState {
  /** The command the state is after (0 = the empty heap). */
  readonly cmd: number;
  readonly snapshot: ModelSnapshot;
  /** Id strings by id index, for the blocks allocated in the snapshot. */
  readonly ids: ReadonlyMap<number, string>;
  /** The facts of command `cmd`, as logged (none for command 0). */
  readonly facts: readonly LoggedFact[];
}

/** The state of a decoded run after command `cmd` (clamped to 0…commands). O(facts up to it). */
export function openingStateOf(run: RunFacts, cmd: number): OpeningState {
  const at = Math.max(0, Math.min(Math.floor(cmd), run.commands));
  const model = new HeapModel(run);
  model.foldTo(at);
  const snapshot = model.snapshot();
  const ids = new Map<number, string>();
  for (let b = 3; b < snapshot.blocks.length; b += 5) {
    const id = snapshot.blocks[b]! - 1;
    if (id >= 0) ids.set(id, run.ids.get(id));
  }
  const facts: LoggedFact[] = [];
  if (at >= 1) for (let i = run.firstFact[at]!; i < run.firstFact[at + 1]!; i++) facts.push(factAt(run, i));
  return { cmd: at, snapshot, ids, facts };
}

/** The opening state as bytes: a JSON part (command, ids, facts), then the snapshot. */
export function encodeOpeningState(state: OpeningState, layout: Layout): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify({ cmd: state.cmd, ids: [...state.ids], facts: state.facts }));
  const snap = encodeSnapshot(state.snapshot, layout);
  const head = new ByteWriter();
  head.uint(json.length);
  const h = head.bytes();
  const out = new Uint8Array(h.length + json.length + snap.length);
  out.set(h, 0);
  out.set(json, h.length);
  out.set(snap, h.length + json.length);
  return out;
}

/** Reads what `encodeOpeningState` wrote. */
export function decodeOpeningState(bytes: Uint8Array, layout: Layout): OpeningState {
  const r = new ByteReader(bytes);
  const json = JSON.parse(new TextDecoder().decode(r.take(r.uint()))) as { cmd: number; ids: [number, string][]; facts: LoggedFact[] };
  const snapshot = decodeSnapshot(r.take(r.remaining), layout);
  return { cmd: json.cmd, snapshot, ids: new Map(json.ids), facts: json.facts };
}

/**
 * A stand-in for a run whose facts are not decoded yet: enough for a HeapModel restored from
 * the opening state to be drawn, described and dumped. It has no facts to fold.
 */
export function previewRun(meta: RunMeta, end: OpeningState): RunFacts {
  const families: string[] = [];
  for (const f of end.snapshot.families) families[f.table] = f.name;
  const ids: Ids = {
    length: end.ids.size,
    get: (i) => {
      const id = end.ids.get(i);
      if (id === undefined) throw new RangeError(`id ${i} is not in the opening state`);
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
