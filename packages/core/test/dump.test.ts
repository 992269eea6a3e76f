/** The state dump (SPEC §3) is built from its per-piece dumps, with keys in the specified order. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockDump, familyDump, pageDump, queueDump, toDump } from '@lmm/core';
import { propertyRuns, runCommands, scenarioArb } from '@lmm/testkit';

describe('state dump pieces', () => {
  it('toDump is made of familyDump, pageDump, blockDump and queueDump, keys as SPEC §3 lists them', () => {
    fc.assert(
      fc.property(scenarioArb(), ({ options, commands }) => {
        const state = runCommands(options, commands).final;
        const dump = toDump(state);
        expect(Object.keys(dump)).toEqual(['layout', 'policy', 'families']);
        const fams = [...state.families.values()];
        expect(dump.families).toEqual(fams.map(familyDump));
        for (const fam of fams) {
          const f = familyDump(fam);
          expect(Object.keys(f)).toEqual(['name', 'size', 'pages', 'queue']);
          expect(f.pages).toEqual([...fam.pages.entriesReversed()].map(([, p]) => pageDump(p)));
          expect(f.queue).toEqual([...fam.queue.values()].map(queueDump));
          for (const q of f.queue) expect(Object.keys(q)).toEqual(['page', 'offset', 'size']);
          for (const [, page] of fam.pages.entriesReversed()) {
            const p = pageDump(page);
            expect(Object.keys(p)).toEqual(['page', 'count', 'blocks']);
            for (const b of page.blocks.values()) {
              expect(Object.keys(blockDump(b))).toEqual(b.id === null ? ['offset', 'size', 'free', 'gap'] : ['offset', 'size', 'free', 'gap', 'id']);
            }
          }
        }
      }),
      { numRuns: propertyRuns(40) },
    );
  });
});
