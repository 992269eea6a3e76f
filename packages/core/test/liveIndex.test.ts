import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HASH_CAP, LiveIndex } from '../src/liveIndex.js';
import type { BlockState } from '../src/state.js';
import { StringTree, type ReadonlySortedMap, type SortedMapDiffVisitor } from '@lmm/collections';
import { propertyRuns } from '@lmm/testkit';

/** A stand-in block record; only its identity and `offset` (as a label) matter here. */
const block = (n: number): BlockState => ({ family: 0, page: 1, offset: n, size: 8, free: false, gap: 0, id: null, qseq: 0 });

type Op =
  | { kind: 'alloc'; id: number; n: number }
  | { kind: 'realloc'; id: number; n: number }
  | { kind: 'free'; id: number }
  | { kind: 'read' }
  | { kind: 'ordered'; id: number; read: number }
  | { kind: 'commit' };

const opArb = (ids: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 10, arbitrary: fc.record({ kind: fc.constant('alloc' as const), id: fc.nat(ids), n: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('realloc' as const), id: fc.nat(ids), n: fc.nat() }) },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('free' as const), id: fc.nat(ids) }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'read' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'commit' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('ordered' as const), id: fc.nat(ids), read: fc.nat(ORDERED.length - 1) }) },
  );

/** Ids that sort differently from their numbers, and some beyond Latin-1. */
const idOf = (k: number) => (k % 7 === 0 ? `é${k}` : `b${k}`);

const sortedEntries = (m: Map<string, BlockState>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

type Entry = [string, BlockState];
type Reads = Pick<
  ReadonlySortedMap<string, BlockState>,
  | 'entriesReversed'
  | 'keys'
  | 'values'
  | 'minKey'
  | 'maxKey'
  | 'firstValue'
  | 'valueAtOrAbove'
  | 'valueAtOrBelow'
  | 'nextHigherPair'
  | 'nextLowerPair'
  | 'getPairOrNextHigher'
  | 'getPairOrNextLower'
  | 'diff'
>;

/** The ordered reads of `ReadonlySortedMap` answered from a sorted array, one scan each: the model. */
class SortedModel implements Reads {
  constructor(readonly sorted: readonly Entry[]) {}
  private at(pick: (k: string) => boolean, last = false): Entry | undefined {
    const hits = this.sorted.filter(([k]) => pick(k));
    return last ? hits[hits.length - 1] : hits[0];
  }
  entriesReversed(highestKey?: string) {
    return this.sorted.filter(([k]) => highestKey === undefined || k <= highestKey).reverse()[Symbol.iterator]();
  }
  keys(firstKey?: string) {
    return this.sorted.filter(([k]) => firstKey === undefined || k >= firstKey).map(([k]) => k)[Symbol.iterator]();
  }
  values(firstKey?: string) {
    return this.sorted.filter(([k]) => firstKey === undefined || k >= firstKey).map(([, v]) => v)[Symbol.iterator]();
  }
  minKey() {
    return this.sorted[0]?.[0];
  }
  maxKey() {
    return this.sorted[this.sorted.length - 1]?.[0];
  }
  firstValue() {
    return this.sorted[0]?.[1];
  }
  valueAtOrAbove(key: string, strict?: boolean) {
    return this.at((k) => (strict ? k > key : k >= key))?.[1];
  }
  valueAtOrBelow(key: string, strict?: boolean) {
    return this.at((k) => (strict ? k < key : k <= key), true)?.[1];
  }
  nextHigherPair(key: string | undefined) {
    return this.at((k) => key === undefined || k > key);
  }
  nextLowerPair(key: string | undefined) {
    return this.at((k) => key === undefined || k < key, true);
  }
  getPairOrNextHigher(key: string) {
    return this.at((k) => k >= key);
  }
  getPairOrNextLower(key: string) {
    return this.at((k) => k <= key, true);
  }
  diff(other: ReadonlySortedMap<string, BlockState> | SortedModel, visit: SortedMapDiffVisitor<string, BlockState>) {
    const mine = new Map(this.sorted);
    const theirs = new Map(other instanceof SortedModel ? other.sorted : [...other.entries()]);
    for (const [k, v] of mine) {
      const w = theirs.get(k);
      if (w === undefined) visit.onlyA(k, v);
      else if (w !== v) visit.different(k, v, w);
    }
    for (const [k, w] of theirs) if (!mine.has(k)) visit.onlyB(k, w);
  }
}

/** What `diff` reports, sorted (its order is unspecified). */
function diffReport(map: Reads, other: ReadonlySortedMap<string, BlockState> | SortedModel): string[] {
  const out: string[] = [];
  const label = (b: BlockState) => b.offset;
  map.diff(other as ReadonlySortedMap<string, BlockState>, {
    onlyA: (k, v) => out.push(`-${k}:${label(v)}`),
    onlyB: (k, v) => out.push(`+${k}:${label(v)}`),
    different: (k, a, b) => out.push(`~${k}:${label(a)}>${label(b)}`),
  });
  return out.sort();
}

/** Each ordered read, by name, around `probe`; `diff` is taken against the last committed tree. */
const ORDERED: [string, (m: Reads, probe: string, last: ReadonlySortedMap<string, BlockState> | SortedModel) => unknown][] = [
  ['entriesReversed', (m) => [...m.entriesReversed()]],
  ['entriesReversed(probe)', (m, p) => [...m.entriesReversed(p)]],
  ['keys(probe)', (m, p) => [...m.keys(p)]],
  ['values', (m) => [...m.values()]],
  ['minKey', (m) => m.minKey()],
  ['maxKey', (m) => m.maxKey()],
  ['firstValue', (m) => m.firstValue()],
  ['valueAtOrAbove', (m, p) => [m.valueAtOrAbove(p), m.valueAtOrAbove(p, true)]],
  ['valueAtOrBelow', (m, p) => [m.valueAtOrBelow(p), m.valueAtOrBelow(p, true)]],
  ['nextHigherPair', (m, p) => m.nextHigherPair(p)],
  ['nextLowerPair', (m, p) => m.nextLowerPair(p)],
  ['getPairOrNextHigher', (m, p) => m.getPairOrNextHigher(p)],
  ['getPairOrNextLower', (m, p) => m.getPairOrNextLower(p)],
  ['diff against the last commit', (m, _p, last) => diffReport(m, last)],
];

describe("LiveIndex (a draft's live ids: a hash map while it starts from none, else the tree)", () => {
  it('answers like a plain map at every step, and every committed tree holds what it held', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 400 }).chain((ids) => fc.tuple(fc.constant(ids), fc.oneof(fc.integer({ min: 1, max: 80 }), fc.constant(HASH_CAP)), fc.oneof(fc.constant([]), fc.array(fc.nat(), { maxLength: 60, size: 'max' })), fc.array(opArb(ids), { maxLength: 600, size: 'max' }))),
        ([ids, cap, base, ops]) => {
          // Start from a committed tree, empty (the hash map's case) or not, as a draft does;
          // a small cap moves the map's ids into the tree in the middle of a stretch.
          let token = {};
          const start = StringTree.empty<BlockState>(token);
          const model = new Map<string, BlockState>();
          for (const k of base) {
            const b = block(k);
            start.set(idOf(k % ids), b);
            model.set(idOf(k % ids), b);
          }
          token = {};
          let index = new LiveIndex(start, token, cap);
          const commits: [StringTree<BlockState>, [string, BlockState][]][] = [[start, sortedEntries(model)]];
          for (const op of ops) {
            switch (op.kind) {
              case 'alloc':
              case 'realloc': {
                // An alloc takes a new id (the engine rejects a live one first); a realloc onto
                // its own id points a live one at a new block.
                const id = idOf(op.id);
                if (model.has(id) !== (op.kind === 'realloc')) break;
                model.set(id, block(op.n));
                index.set(id, model.get(id)!);
                break;
              }
              case 'free': {
                const id = idOf(op.id);
                if (!model.has(id)) break;
                model.delete(id);
                index.delete(id);
                break;
              }
              case 'read':
                // Reading in order flushes; later writes must not show in what was read.
                expect([...index.entries()]).toEqual(sortedEntries(model));
                break;
              case 'ordered': {
                // One ordered read, the first since the writes (so it flushes the hash map
                // itself), against the sorted model, around an id that may be live or not.
                const [name, read] = ORDERED[op.read]!;
                const [lastTree, lastEntries] = commits[commits.length - 1]!;
                expect(read(index, idOf(op.id), lastTree), name).toEqual(read(new SortedModel(sortedEntries(model)), idOf(op.id), new SortedModel(lastEntries)));
                break;
              }
              case 'commit': {
                // As a draft commits: flush, take a new token, go on from the tree under it.
                const tree = index.flush();
                token = {};
                index = new LiveIndex(tree, token, cap);
                commits.push([tree, sortedEntries(model)]);
                break;
              }
            }
            expect(index.size).toBe(model.size);
            const near = 'id' in op ? op.id : 0;
            for (const k of [near, near + 1]) {
              expect(index.get(idOf(k))).toBe(model.get(idOf(k)));
              expect(index.has(idOf(k))).toBe(model.has(idOf(k)));
            }
          }
          const last = index.flush();
          expect([...last.entries()]).toEqual(sortedEntries(model));
          expect(last.size).toBe(model.size);
          for (const [tree, entries] of commits) expect([...tree.entries()]).toEqual(entries);
        },
      ),
      { numRuns: propertyRuns(150) },
    );
  });
});

describe('LiveIndex ordered reads and commits', () => {
  it('answers every ordered read from the hash map’s ids as from the sorted ids, each read the first since the writes', () => {
    // Ids written out of order, one beyond Latin-1: `b1` < `b3` < `b7` < `é2` in code units.
    const writes: Entry[] = [['b7', block(7)], ['é2', block(2)], ['b1', block(1)], ['b3', block(3)]];
    const sorted = [...writes].sort(([a], [b]) => (a < b ? -1 : 1));
    const committed = StringTree.empty<BlockState>({});
    for (const [name, read] of ORDERED) {
      for (const probe of ['b3', 'b4', 'a', 'z']) {
        // A fresh index over no ids: the ids sit in its hash map until this read.
        const index = new LiveIndex(committed, {});
        for (const [id, b] of writes) index.set(id, b);
        expect(read(index, probe, committed), `${name} around ${probe}`).toEqual(read(new SortedModel(sorted), probe, new SortedModel([])));
      }
    }
  });

  it('hands back the very tree it started from when no id was written (a commit shares it), a new one holding the ids otherwise', () => {
    const empty = StringTree.empty<BlockState>({});
    expect(new LiveIndex(empty, {}).flush()).toBe(empty);
    const some = StringTree.empty<BlockState>({});
    some.set('a', block(1));
    const untouched = new LiveIndex(some, {});
    expect(untouched.get('a')).toEqual(block(1));
    expect(untouched.flush()).toBe(some);
    const written = new LiveIndex(empty, {});
    written.set('x', block(5));
    const tree = written.flush();
    expect(tree).not.toBe(empty);
    expect([...tree.entries()]).toEqual([['x', block(5)]]);
    expect(empty.size).toBe(0);
  });
});
