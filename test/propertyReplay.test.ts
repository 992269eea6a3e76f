/**
 * Reproducible failures: the seed and path a failing property prints replay it through
 * LMM_SEED / LMM_PATH (testkit's propertyReplay, installed for every property by
 * test/setupProperties.ts), and the failure's message ends with the line that does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyReplay, replayHint } from '@lmm/testkit';

describe('LMM_SEED and LMM_PATH', () => {
  it('read as fast-check takes them; nothing set is nothing to replay', () => {
    expect(propertyReplay({})).toEqual({});
    expect(propertyReplay({ LMM_SEED: '', LMM_PATH: '' })).toEqual({});
    expect(propertyReplay({ LMM_SEED: '-1908920292' })).toEqual({ seed: -1908920292 });
    expect(propertyReplay({ LMM_SEED: '42', LMM_PATH: '0:1:0' })).toEqual({ seed: 42, path: '0:1:0' });
  });

  it('a malformed value is an error, not a run under some other seed', () => {
    for (const env of [{ LMM_SEED: 'x' }, { LMM_SEED: '1.5' }, { LMM_SEED: '99999999999' }, { LMM_PATH: '0:1' }, { LMM_SEED: '1', LMM_PATH: '0:a' }, { LMM_SEED: '1', LMM_PATH: ':' }]) {
      expect(() => propertyReplay(env), JSON.stringify(env)).toThrow(/LMM_(SEED|PATH)/);
    }
  });

  it('the replay line names the variables, the file and the test, quoted for the shell', () => {
    expect(replayHint(7, null)).toBe('replay: LMM_SEED=7 pnpm test');
    expect(replayHint(-3, '0:2', { file: 'packages/core/test/a.test.ts', test: "it's a test" })).toBe(
      "replay: LMM_SEED=-3 LMM_PATH=0:2 pnpm test packages/core/test/a.test.ts -t 'it'\\''s a test'",
    );
  });

  it('a failing fc.assert throws with its seed, its path and the replay line; the seed and path given replay the same counterexample', () => {
    const prop = fc.property(fc.nat(1000), (n) => n < 500);
    let message = '';
    try {
      fc.assert(prop, { numRuns: 1000 });
    } catch (e) {
      message = (e as Error).message;
    }
    const m = /seed: (-?\d+), path: "([\d:]+)"/.exec(message);
    expect(m, message).not.toBeNull();
    expect(message).toContain(`replay: LMM_SEED=${m![1]} LMM_PATH=${m![2]} pnpm test test/propertyReplay.test.ts -t`);
    const replayed = fc.check(prop, propertyReplay({ LMM_SEED: m![1], LMM_PATH: m![2] }));
    expect(replayed.counterexample).toEqual([500]);
    expect(replayed.numRuns).toBe(1);
  });
});
