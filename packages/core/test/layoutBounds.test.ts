/**
 * Layouts at and beyond SPEC §1's bounds: `parseLayout` and `checkLayout` accept exactly
 * the layouts SPEC's rule allows (testkit's layoutIsValid, written from its words) and
 * give a message for every other one; an accepted layout's maxAlloc is at least 1 byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLayout, LAYOUTS, layoutName, maxAlloc, parseLayout } from '@lmm/core';
import { customLayoutArb, layoutEdgeArb, layoutIsValid, propertyRuns } from '@lmm/testkit';

describe('layout bounds', () => {
  it('PAGE:HEADER:META at and beyond the bounds is accepted exactly when SPEC §1 allows it', () => {
    fc.assert(
      fc.property(layoutEdgeArb, (layout) => {
        const text = `${layout.pageSize}:${layout.pageHeaderSize}:${layout.metaSize}`;
        const parsed = parseLayout(text);
        const checked = checkLayout(layout);
        if (layoutIsValid(layout)) {
          expect(parsed, text).toEqual(layout);
          expect(checked, text).toEqual(layout);
          expect(maxAlloc(layout)).toBeGreaterThanOrEqual(1);
          expect(parseLayout(layoutName(layout))).toEqual(layout);
        } else {
          expect(typeof parsed, text).toBe('string');
          expect(typeof checked, text).toBe('string');
        }
      }),
      { numRuns: propertyRuns(400) },
    );
  });

  it.each([
    ['128:0:0', false],
    ['255:0:0', false],
    ['256:0:0', true],
    ['256:0:255', true],
    ['256:255:0', true],
    ['256:0:256', false],
    ['256:128:128', false],
    ['257:0:0', false],
    ['384:0:0', false],
    ['1048576:0:0', true],
    ['2097152:0:0', false],
    ['4096:24:48', true],
    ['4096:-1:48', false],
    ['4096:24', false],
    ['4096:24:48:1', false],
    [' 4096:24:48', false],
    ['0x1000:0:0', false],
    ['4096.0:0:0', false],
    ['seed', true],
    ['lmm64', true],
    ['lmm32', true],
    ['SEED', false],
    ['', false],
  ])('%j → %s', (text, valid) => {
    expect(typeof parseLayout(text) !== 'string').toBe(valid);
  });

  it('the named layouts are what SPEC §1 tabulates, and custom layouts the generator makes are valid by SPEC’s rule', () => {
    expect(LAYOUTS).toEqual({
      seed: { pageSize: 4096, pageHeaderSize: 0, metaSize: 28 },
      lmm64: { pageSize: 4096, pageHeaderSize: 24, metaSize: 48 },
      lmm32: { pageSize: 4096, pageHeaderSize: 12, metaSize: 28 },
    });
    fc.assert(fc.property(customLayoutArb, (l) => layoutIsValid(l)), { numRuns: propertyRuns(200) });
  });

  it('names: a named layout by its name, any other as PAGE:HEADER:META (also one sharing two numbers with a named one)', () => {
    expect(layoutName(LAYOUTS.seed)).toBe('seed');
    expect(layoutName(LAYOUTS.lmm64)).toBe('lmm64');
    expect(layoutName(LAYOUTS.lmm32)).toBe('lmm32');
    expect(layoutName({ pageSize: 4096, pageHeaderSize: 0, metaSize: 48 })).toBe('4096:0:48');
    expect(layoutName({ pageSize: 4096, pageHeaderSize: 24, metaSize: 28 })).toBe('4096:24:28');
    expect(layoutName({ pageSize: 8192, pageHeaderSize: 0, metaSize: 28 })).toBe('8192:0:28');
    expect(parseLayout('lmm64')).toBe(LAYOUTS.lmm64);
    expect(parseLayout('lmm32')).toBe(LAYOUTS.lmm32);
  });

  it('each refusal says what is wrong', () => {
    expect(parseLayout('big')).toBe("unknown layout 'big' (expected seed, lmm64, lmm32 or PAGE:HEADER:META)");
    expect(parseLayout('128:0:0')).toBe('page size 128 is not a power of two from 256 to 1048576');
    expect(parseLayout('256:0:256')).toBe('layout 256:0:256 leaves no byte for data');
    expect(checkLayout({ pageSize: 4096, pageHeaderSize: -1, metaSize: 0 })).toBe('page header size -1 is not an integer ≥ 0');
    expect(checkLayout({ pageSize: 4096, pageHeaderSize: 0, metaSize: 0.5 })).toBe('meta block size 0.5 is not an integer ≥ 0');
  });

  it('non-integer or non-finite fields are refused by checkLayout', () => {
    for (const l of [
      { pageSize: 4096.5, pageHeaderSize: 0, metaSize: 0 },
      { pageSize: 4096, pageHeaderSize: 0.5, metaSize: 0 },
      { pageSize: 4096, pageHeaderSize: 0, metaSize: Number.NaN },
      { pageSize: Number.POSITIVE_INFINITY, pageHeaderSize: 0, metaSize: 0 },
      { pageSize: 4096, pageHeaderSize: 0, metaSize: -1 },
    ]) {
      expect(typeof checkLayout(l), JSON.stringify(l)).toBe('string');
    }
  });
});
