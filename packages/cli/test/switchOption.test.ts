/**
 * `run --switch CMD:POLICY` (SPEC §5): what `switchOption` returns — CMD a command number
 * (0 included), POLICY one of the four — and the exact usage errors for anything else.
 */
import { describe, expect, it } from 'vitest';
import { POLICIES } from '@lmm/core';
import { switchOption } from '../src/switchOption.js';
import { UsageError } from '../src/usageError.js';

describe('switchOption', () => {
  it('absent: undefined', () => {
    expect(switchOption(undefined)).toBe(undefined);
  });

  it.each([
    ['0:best-fit', { cmd: 0, policy: 'best-fit' }],
    ['8:first-fit', { cmd: 8, policy: 'first-fit' }],
    ['200:address-first-fit', { cmd: 200, policy: 'address-first-fit' }],
    ['007:worst-fit', { cmd: 7, policy: 'worst-fit' }],
    ['123456789012345:best-fit', { cmd: 123456789012345, policy: 'best-fit' }],
  ])('%s', (value, want) => {
    expect(switchOption(value)).toEqual(want);
  });

  it('every policy is accepted after the colon', () => {
    expect(POLICIES.map((p) => switchOption(`3:${p}`))).toEqual(POLICIES.map((policy) => ({ cmd: 3, policy })));
  });

  it.each([
    // No command number, a number not alone before the colon, more than 15 digits, no colon.
    ['best-fit'],
    [':best-fit'],
    ['x8:best-fit'],
    ['8x:best-fit'],
    ['-1:best-fit'],
    ['1.5:best-fit'],
    ['1234567890123456:best-fit'],
    ['8'],
    [''],
    // The policy is the rest of the line: a line break after it is not part of the form.
    ['8:best-fit\n'],
  ])('%j is not CMD:POLICY', (value) => {
    expect(() => switchOption(value)).toThrow(new UsageError(`--switch: '${value}' is not CMD:POLICY (a command number, a colon, a policy)`));
  });

  it.each([
    ['8:', ''],
    ['8:next-fit', 'next-fit'],
    ['8:Best-Fit', 'Best-Fit'],
    ['8:best-fit:x', 'best-fit:x'],
  ])('%j names an unknown policy', (value, policy) => {
    expect(() => switchOption(value)).toThrow(new UsageError(`--switch: unknown policy '${policy}' (worst-fit, best-fit, first-fit, address-first-fit)`));
  });
});
