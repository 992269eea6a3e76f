import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HASH_CAP, LiveIndex } from '../src/liveIndex.js';
import type { BlockState } from '../src/state.js';
import { StringTree } from '@lmm/collections';
import { propertyRuns } from '@lmm/testkit';

/** A stand-in block record; only its identity and `offset` (as a label) matter here. */
const block = (n: number): BlockState => ({ family: 0, page: 1, offset: n, size: 8, free: false, gap: 0, id: null, qseq: 0 });

type Op = { kind: 'alloc'; id: number; n: number } | { kind: 'realloc'; id: number; n: number } | { kind: 'free'; id: number } | { kind: 'read' } | { kind: 'commit' };

const opArb = (ids: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 10, arbitrary: fc.record({ kind: fc.constant('alloc' as const), id: fc.nat(ids), n: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('realloc' as const), id: fc.nat(ids), n: fc.nat() }) },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('free' as const), id: fc.nat(ids) }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'read' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'commit' as const }) },
  );

/** Ids that sort differently from their numbers, and some beyond Latin-1. */
const idOf = (k: number) => (k % 7 === 0 ? `é${k}` : `b${k}`);

const sortedEntries = (m: Map<string, BlockState>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

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
