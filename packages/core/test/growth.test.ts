/** SPEC §3 `pageRequests` and `avoidableGrowth`, on a run worked out by hand. */
import { describe, expect, it } from 'vitest';
import { evolveAll, initialState, LAYOUTS, POLICIES, statsOf } from '@lmm/core';
import { heap } from './support.js';

describe('pageRequests and avoidableGrowth', () => {
  it.each(POLICIES)('%s: a page requested while the free bytes sufficed is avoidable growth; one they did not, or a large run, is not', (policy) => {
    const options = { layout: LAYOUTS.seed, policy };
    const steps: [unknown, number, number][] = [
      [{ op: 'register', family: 'f', size: 1000 }, 0, 0],
      // 1000-byte blocks at 0, 1028 and 2056 leave a free 984-byte tail.
      [{ op: 'alloc', id: 'a1', family: 'f' }, 1, 0],
      [{ op: 'alloc', id: 'a2', family: 'f' }, 1, 0],
      [{ op: 'alloc', id: 'a3', family: 'f' }, 1, 0],
      // 984 free bytes < 1000: the growth was needed.
      [{ op: 'alloc', id: 'a4', family: 'f' }, 2, 0],
      // Free: 984 + 1000 (a2) + 3040 (page 2's tail) = 5024 ≥ 4000, but no block fits.
      [{ op: 'free', id: 'a2' }, 2, 0],
      [{ op: 'alloc', id: 'b', family: 'f', units: 4 }, 3, 1],
      // A large run is never avoidable growth.
      [{ op: 'alloc', id: 'L', family: 'f', units: 5 }, 4, 1],
    ];
    const commands: unknown[] = [];
    for (const [command, pageRequests, avoidableGrowth] of steps) {
      commands.push(command);
      const { state, facts } = heap(options, commands);
      const { total, families } = statsOf(state);
      expect({ pageRequests: total.pageRequests, avoidableGrowth: total.avoidableGrowth }, JSON.stringify(command)).toStrictEqual({ pageRequests, avoidableGrowth });
      expect(families[0]?.pageRequests ?? 0).toBe(pageRequests);
      expect(families[0]?.avoidableGrowth ?? 0).toBe(avoidableGrowth);
      expect(facts.filter((f) => f.type === 'PageRequest')).toHaveLength(pageRequests);
      // The counters are folded from the facts alone too.
      expect(statsOf(evolveAll(initialState(options), facts)).total).toStrictEqual(total);
    }
  });
});
