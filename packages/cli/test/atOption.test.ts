/**
 * `--at` (SPEC §5: AT is a command number 0 … commands, `peak-live` or `peak-heap`): what
 * `atOption` returns for each form, and the exact usage error for anything else.
 */
import { describe, expect, it } from 'vitest';
import { atOption } from '../src/atOption.js';
import { UsageError } from '../src/usageError.js';

describe('atOption', () => {
  it('absent: undefined', () => {
    expect(atOption(undefined)).toBe(undefined);
  });

  it('peak-live and peak-heap are kept as names', () => {
    expect(atOption('peak-live')).toBe('peak-live');
    expect(atOption('peak-heap')).toBe('peak-heap');
  });

  it.each([
    ['0', 0],
    ['7', 7],
    ['42', 42],
    ['007', 7],
    ['123456789012345', 123456789012345],
  ])('%s is command %d', (value, cmd) => {
    expect(atOption(value)).toBe(cmd);
  });

  it.each([
    // Not digits from start to end, or more than 15 of them.
    ['x1'],
    ['1x'],
    ['-1'],
    ['+1'],
    ['1.5'],
    [' 1'],
    [''],
    ['1234567890123456'],
    ['peak'],
    ['peak-Live'],
    ['end'],
  ])('%j is a usage error naming it', (value) => {
    expect(() => atOption(value)).toThrow(new UsageError(`--at: '${value}' is not a command number, peak-live or peak-heap`));
    expect(() => atOption(value)).toThrow(UsageError);
  });
});
