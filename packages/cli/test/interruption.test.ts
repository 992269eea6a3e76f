/** What `lmm` prints and returns when a signal stops it (`main.ts` wires it to the signals). */
import { describe, expect, it } from 'vitest';
import { interruption } from '../src/interruption.js';

describe('interruption', () => {
  it('one line naming the signal; the status a shell gives a process the signal killed, 128 + its number', () => {
    // Linux's numbers: SIGHUP 1, SIGINT 2, SIGTERM 15.
    expect(interruption('SIGINT', '')).toEqual({ line: 'lmm: interrupted (SIGINT)\n', status: 130 });
    expect(interruption('SIGTERM', '')).toEqual({ line: 'lmm: interrupted (SIGTERM)\n', status: 143 });
    expect(interruption('SIGHUP', '')).toEqual({ line: 'lmm: interrupted (SIGHUP)\n', status: 129 });
  });

  it('what became of the unfinished outputs follows, after a semicolon', () => {
    expect(interruption('SIGTERM', 'run.log not written').line).toBe('lmm: interrupted (SIGTERM); run.log not written\n');
  });
});
