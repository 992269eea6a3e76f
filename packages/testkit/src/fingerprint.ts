import { dumpJson, statsOf, type HeapState } from '@lmm/core';

/**
 * Everything observable about a state as one string: the state dump (SPEC §3), the
 * statistics, the live ids with where they are, and the counters (next page id, pages in
 * use, live bytes). Two states with equal fingerprints behave the same from then on
 * (queue stamps aside, whose order the dump shows).
 */
export function fingerprint(state: HeapState): string {
  const live: [string, number, number, number][] = [];
  for (const [id, ref] of state.live.entries()) live.push([id, ref.family, ref.page, ref.offset]);
  return JSON.stringify({
    dump: JSON.parse(dumpJson(state)) as unknown,
    stats: statsOf(state),
    live,
    nextPage: state.nextPage,
    pagesInUse: state.pagesInUse,
    liveBytes: state.liveBytes,
    maxPages: state.maxPages,
  });
}

/** The live ids of a state, in the map's order. */
export function liveIds(state: HeapState): string[] {
  return [...state.live.keys()];
}
