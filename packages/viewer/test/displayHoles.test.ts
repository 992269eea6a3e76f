/**
 * Issue 15: an id holding a lone surrogate (`"\ud800"`, a valid JSON string and a valid lmm
 * id) reached the page's text as is. Everything the page shows of ids and family names goes
 * through `toWellFormed()` (a lone surrogate shows as U+FFFD).
 */
import { describe, expect, it } from 'vitest';
import { LAYOUTS, type LoggedFact } from '@lmm/core';
import { makeHeader } from '@lmm/replay';
import { HeapModel } from '../src/model/heapModel.js';
import { isWellFormed } from '../src/model/idTable.js';
import { describeFact } from '../src/page/describeFact.js';
import { describeHit } from '../src/page/tooltip.js';
import { encoded } from './support.js';

const wellFormed = (s: string) => isWellFormed(s);

// A family name can hold one too in a forged log (the fold lets it through; SPEC allows only printable ASCII).
const FAMILY = 'f\udc00';
const facts: LoggedFact[] = [
  { seq: 1, cmd: 1, type: 'Registered', family: FAMILY, size: 8 },
  { seq: 2, cmd: 2, type: 'PageRequest', family: FAMILY, page: 1, count: 1 },
  { seq: 3, cmd: 2, type: 'Allocated', id: '\ud800', family: FAMILY, page: 1, offset: 0, size: 8, units: 1, frag: 'none', gap: 0 },
  { seq: 4, cmd: 3, type: 'Allocated', id: 'b\udbff', family: FAMILY, page: 1, offset: 36, size: 16, units: 2, frag: 'none', gap: 0, realloc: true, from: '\ud800' },
  { seq: 5, cmd: 3, type: 'Freed', id: '\ud800', family: FAMILY, page: 1, offset: 0, size: 8, merged: { offset: 0, size: 8 }, realloc: true },
  { seq: 6, cmd: 4, type: 'Rejected', command: { op: 'free', id: '\ud800' }, code: 'E_NOT_ALLOCATED', message: "id '\ud800' is not allocated" },
];

describe('issue 15: a lone surrogate in an id or a family name', () => {
  it('the fact list shows every fact as well-formed text', () => {
    for (const f of facts) expect(describeFact(f), f.type).toSatisfy(wellFormed);
    expect(describeFact(facts[3]!)).toContain('b\ufffd (from \ufffd)');
  });

  it('the tooltip over a block shows its family and id as well-formed text', () => {
    const model = new HeapModel(encoded({ header: makeHeader(LAYOUTS.seed, 'worst-fit', null), facts }));
    model.foldTo(3);
    const fam = model.families[0]!;
    const page = fam.pages[0]!;
    for (const block of page.blocks) {
      const lines = describeHit(model, { fam, page, block, part: 'data' });
      for (const line of lines) expect(line).toSatisfy(wellFormed);
      if (block.id >= 0) expect(lines).toContain('id     b\ufffd');
    }
  });
});
