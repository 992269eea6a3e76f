import { blockDump, familyDump, pageDump, type FamilyState, type HeapState, type PageState } from '@lmm/core';
import { diffQueues } from './queueDiff.js';
import { blockFieldsDiffering, type StateChange } from './stateChange.js';


function familyNamed(s: HeapState, name: string): FamilyState | undefined {
  const i = s.familyIndex.get(name);
  return i === undefined ? undefined : s.families.get(i);
}

/**
 * The structural differences between two heap states, as a list of change records (see
 * `StateChange`): settings, then family by family (a's registration order, then families only
 * in b) its size, its pages newest first with their blocks by offset, and its free queue.
 * Empty exactly when the two states' dumps (SPEC §3) are equal, page limit included.
 *
 * Identical parts are skipped by identity: a family record, page record or subtree that two
 * states share (as states of one run do) is not looked into, so the cost is about what
 * differs (times log n), not the heaps' size. States built apart (two runs) are compared all
 * through, still correctly.
 */
export function diffStates(a: HeapState, b: HeapState): StateChange[] {
  const out: StateChange[] = [];
  const la = a.layout;
  const lb = b.layout;
  if (la.pageSize !== lb.pageSize || la.pageHeaderSize !== lb.pageHeaderSize || la.metaSize !== lb.metaSize) out.push({ kind: 'setting', field: 'layout', a: la, b: lb });
  if (a.policy !== b.policy) out.push({ kind: 'setting', field: 'policy', a: a.policy, b: b.policy });
  if (a.maxPages !== b.maxPages) out.push({ kind: 'setting', field: 'maxPages', a: a.maxPages, b: b.maxPages });
  if (a.families === b.families) return out;
  const namesA = [...a.families.values()].map((f) => f.name);
  const namesB = [...b.families.values()].map((f) => f.name);
  const inB = new Set(namesB);
  const inA = new Set(namesA);
  const commonA = namesA.filter((n) => inB.has(n));
  const commonB = namesB.filter((n) => inA.has(n));
  if (commonA.some((n, i) => n !== commonB[i])) out.push({ kind: 'family-order', a: commonA, b: commonB });
  for (const name of namesA) {
    const fa = familyNamed(a, name)!;
    const fb = familyNamed(b, name);
    if (fb === undefined) out.push({ kind: 'family-removed', family: name, a: familyDump(fa) });
    else if (fa !== fb) diffFamily(fa, fb, out);
  }
  for (const fb of b.families.values()) {
    if (!inA.has(fb.name)) out.push({ kind: 'family-added', family: fb.name, index: fb.index, b: familyDump(fb) });
  }
  return out;
}

function diffFamily(fa: FamilyState, fb: FamilyState, out: StateChange[]): void {
  const family = fa.name;
  if (fa.size !== fb.size) out.push({ kind: 'family-size', family, a: fa.size, b: fb.size });
  const pages = new Map<number, StateChange[]>();
  const at = (page: number) => {
    let list = pages.get(page);
    if (list === undefined) pages.set(page, (list = []));
    return list;
  };
  fa.pages.diff(fb.pages, {
    onlyA: (page, p) => void at(page).push({ kind: 'page-removed', family, page, a: pageDump(p) }),
    onlyB: (page, p) => void at(page).push({ kind: 'page-added', family, page, b: pageDump(p) }),
    different: (page, pa, pb) => diffPage(family, pa, pb, at(page)),
  });
  // Pages in list order (newest first); a page's records by offset.
  for (const page of [...pages.keys()].sort((x, y) => y - x)) out.push(...pages.get(page)!);
  out.push(...diffQueues(family, fa.queue, fb.queue));
}

function diffPage(family: string, pa: PageState, pb: PageState, out: StateChange[]): void {
  const page = pa.page;
  if (pa.count !== pb.count) out.push({ kind: 'page-count', family, page, a: pa.count, b: pb.count });
  const blocks: [number, StateChange][] = [];
  pa.blocks.diff(pb.blocks, {
    onlyA: (offset, x) => void blocks.push([offset, { kind: 'block-removed', family, page, offset, a: blockDump(x) }]),
    onlyB: (offset, y) => void blocks.push([offset, { kind: 'block-added', family, page, offset, b: blockDump(y) }]),
    different: (offset, x, y) => {
      const fields = blockFieldsDiffering(x, y);
      if (fields.length > 0) blocks.push([offset, { kind: 'block-changed', family, page, offset, fields, a: blockDump(x), b: blockDump(y) }]);
    },
  });
  blocks.sort((x, y) => x[0] - y[0]);
  for (const [, c] of blocks) out.push(c);
}
