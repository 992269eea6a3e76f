import { queueDump, type QueueEntry, type ReadonlySortedMap } from '@lmm/core';
import type { StateChange } from './stateChange.js';

type Queue = ReadonlySortedMap<number, QueueEntry>;
const sameEntry = (x: QueueEntry, y: QueueEntry) => x.page === y.page && x.offset === y.offset && x.size === y.size;
const where = (e: QueueEntry) => `${e.page}:${e.offset}:${e.size}`;

/**
 * The differences between two free queues of family `family` (keys: queue order), as
 * `queue-removed`, `queue-added` and `queue-moved` records (see `StateChange`).
 *
 * Entries under the same key with equal contents in both queues are *stable*: they keep
 * their order. Every other entry is only in a (removed), only in b (added), or in both under
 * different keys (a candidate). A candidate is in place when the stable entry before it is the
 * same in both queues and, among the candidates between the same two stable entries, it
 * belongs to a longest run in the same order in both; the rest are `moved`. Cost: about the
 * entries that differ (the maps' `diff` skipping shared structure), times log n.
 */
export function diffQueues(family: string, qa: Queue, qb: Queue): StateChange[] {
  const changedA = new Map<number, QueueEntry>();
  const changedB = new Map<number, QueueEntry>();
  qa.diff(qb, {
    onlyA: (k, v) => void changedA.set(k, v),
    onlyB: (k, v) => void changedB.set(k, v),
    different: (k, va, vb) => {
      if (sameEntry(va, vb)) return;
      changedA.set(k, va);
      changedB.set(k, vb);
    },
  });
  if (changedA.size === 0 && changedB.size === 0) return [];
  const bKeyOf = new Map<string, number>();
  for (const [k, e] of changedB) bKeyOf.set(where(e), k);
  const out: StateChange[] = [];
  // Candidates: [key in a, key in b].
  const candidates: [number, number][] = [];
  const candidateB = new Set<number>();
  for (const [ka, e] of [...changedA].sort((x, y) => x[0] - y[0])) {
    const kb = bKeyOf.get(where(e));
    if (kb === undefined) out.push({ kind: 'queue-removed', family, entry: queueDump(e) });
    else {
      candidates.push([ka, kb]);
      candidateB.add(kb);
    }
  }
  const slotA = slotFinder(qa, changedA);
  const slotB = slotFinder(qb, changedB);
  // Group candidates by the stable entry before them; those whose slot differs have moved.
  const moved = new Set<number>();
  const bySlot = new Map<number, number[]>();
  for (const [ka, kb] of candidates) {
    const s = slotA(ka);
    if (s !== slotB(kb)) moved.add(kb);
    else {
      let g = bySlot.get(s);
      if (g === undefined) bySlot.set(s, (g = []));
      g.push(kb);
    }
  }
  // Within a slot (candidates in a's order), keep a longest increasing run of b keys.
  for (const group of bySlot.values()) {
    const keep = longestIncreasing(group);
    for (const kb of group) if (!keep.has(kb)) moved.add(kb);
  }
  for (const kb of [...changedB.keys()].sort((x, y) => x - y)) {
    const isCandidate = candidateB.has(kb);
    if (isCandidate && !moved.has(kb)) continue;
    const before = qb.nextLowerPair(kb);
    const after = before === undefined ? null : queueDump(before[1]);
    out.push({ kind: isCandidate ? 'queue-moved' : 'queue-added', family, entry: queueDump(changedB.get(kb)!), after });
  }
  return out;
}

/**
 * For keys of `q` that are in `changed`, the key of the nearest stable entry before them
 * (-Infinity at the head). Memoised along each run of changed entries.
 */
function slotFinder(q: Queue, changed: ReadonlyMap<number, QueueEntry>): (key: number) => number {
  const memo = new Map<number, number>();
  return (key) => {
    const path: number[] = [];
    let k: number | undefined = key;
    let slot = -Infinity;
    while (k !== undefined) {
      const known = memo.get(k);
      if (known !== undefined) {
        slot = known;
        break;
      }
      path.push(k);
      const prev = q.nextLowerPair(k);
      if (prev === undefined) break;
      if (!changed.has(prev[0])) {
        slot = prev[0];
        break;
      }
      k = prev[0];
    }
    for (const p of path) memo.set(p, slot);
    return slot;
  };
}

/** A longest strictly increasing subsequence of `xs` (patience sorting, O(n log n)), as a set. */
export function longestIncreasing(xs: readonly number[]): Set<number> {
  const tails: number[] = [];
  const prev = new Array<number>(xs.length).fill(-1);
  for (let i = 0; i < xs.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[tails[mid]!]! < xs[i]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let i = tails.length > 0 ? tails[tails.length - 1]! : -1; i >= 0; i = prev[i]!) keep.add(xs[i]!);
  return keep;
}
