/**
 * `parseCommand`: the checks of SPEC §1 that need no state and come before every check that
 * does — E_BAD_COMMAND, and E_FAMILY_NAME for register — and nothing else, so the first
 * failing check of SPEC order still wins once `decide` makes the rest.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { LAYOUTS, initialState, parseCommand, step, type Command, type HeapState, type RejectedFact, type RejectionCode } from '@lmm/core';
import { heap } from './support.js';
import { propertyRuns } from '@lmm/testkit';

/** The rejection `parseCommand` gives `input`, or undefined when it passes it on. */
function rejection(input: unknown): RejectedFact | undefined {
  const result = parseCommand(input);
  return 'op' in result ? undefined : result;
}

/** Asserts `parseCommand` rejects `input` with `code` and `message`, quoting the input itself. */
function expectParseRejects(input: unknown, code: RejectionCode, message: string): void {
  const fact = rejection(input);
  expect(fact, JSON.stringify(input)).toBeDefined();
  expect(fact!.code).toBe(code);
  expect(fact!.message).toBe(message);
  expect(fact!.command).toBe(input);
  expect(Object.keys(fact!)).toEqual(['type', 'command', 'code', 'message']);
}

/** Asserts `parseCommand` passes `input` on as it is (the very object). */
function expectPasses(input: Command | Record<string, unknown>): void {
  expect(parseCommand(input), JSON.stringify(input)).toBe(input);
}

describe('parseCommand: E_BAD_COMMAND', () => {
  it.each<[unknown, string]>([
    [null, 'command is not a JSON object'],
    [7, 'command is not a JSON object'],
    ['alloc', 'command is not a JSON object'],
    [true, 'command is not a JSON object'],
    [[{ op: 'free', id: 'e1' }], 'command is not a JSON object'],
    [{}, 'op is not a string'],
    [{ op: 1 }, 'op is not a string'],
    [{ op: null, id: 'x' }, 'op is not a string'],
    [{ op: 'malloc', id: 'x' }, "unknown op 'malloc'"],
    [{ op: 'Alloc', id: 'x', family: 'f' }, "unknown op 'Alloc'"],
    [{ op: 'register', family: 5, size: 8 }, 'register: family is not a string'],
    [{ op: 'register', size: 8 }, 'register: family is not a string'],
    [{ op: 'register', family: 'f', size: '8' }, 'register: size is not a number'],
    [{ op: 'register', family: 'f' }, 'register: size is not a number'],
    [{ op: 'alloc', id: 3, family: 'f' }, 'alloc: id is not a string'],
    [{ op: 'alloc', family: 'f' }, 'alloc: id is not a string'],
    [{ op: 'alloc', id: '', family: 'f' }, 'alloc: id is empty'],
    [{ op: 'alloc', id: 'x', family: null }, 'alloc: family is not a string'],
    [{ op: 'alloc', id: 'x', family: 'f', units: '2' }, 'alloc: units is not a number'],
    [{ op: 'alloc', id: 'x', family: 'f', units: null }, 'alloc: units is not a number'],
    [{ op: 'free' }, 'free: id is not a string'],
    [{ op: 'free', id: '' }, 'free: id is empty'],
    [{ op: 'free', id: ['e1'] }, 'free: id is not a string'],
    [{ op: 'realloc', id: '' }, 'realloc: id is empty'],
    [{ op: 'realloc', to: 'x' }, 'realloc: id is not a string'],
    [{ op: 'realloc', id: 'e1', to: '' }, 'realloc: to is empty'],
    [{ op: 'realloc', id: 'e1', to: 2 }, 'realloc: to is not a string'],
    [{ op: 'realloc', id: 'e1', units: false }, 'realloc: units is not a number'],
  ])('%j: %s', (input, message) => expectParseRejects(input, 'E_BAD_COMMAND', message));

  it('reports the first wrong field: id, then family or to, then size or units', () => {
    expectParseRejects({ op: 'alloc', id: '', family: 1, units: 'x' }, 'E_BAD_COMMAND', 'alloc: id is empty');
    expectParseRejects({ op: 'alloc', id: 'a', family: 1, units: 'x' }, 'E_BAD_COMMAND', 'alloc: family is not a string');
    expectParseRejects({ op: 'realloc', id: 1, to: '', units: 'x' }, 'E_BAD_COMMAND', 'realloc: id is not a string');
    expectParseRejects({ op: 'realloc', id: 'a', to: '', units: 'x' }, 'E_BAD_COMMAND', 'realloc: to is empty');
    expectParseRejects({ op: 'register', family: 1, size: 'x' }, 'E_BAD_COMMAND', 'register: family is not a string');
  });

  it('an empty family is not a wrong JSON type (its check comes later)', () => {
    expectPasses({ op: 'alloc', id: 'x', family: '' });
  });
});

describe('parseCommand: E_FAMILY_NAME (register only, after E_BAD_COMMAND)', () => {
  it('rejects names that are empty, too long, or not printable ASCII without spaces', () => {
    for (const family of ['', 'a b', ' lead', 'tab\there', 'new\n', 'caf\u00e9', '\u{1f600}', 'x'.repeat(65), '\u007f']) {
      expectParseRejects({ op: 'register', family, size: 8 }, 'E_FAMILY_NAME', `family name ${JSON.stringify(family)} is not 1–64 printable ASCII characters without spaces`);
    }
  });
  it('a bad name with a size of the wrong type is E_BAD_COMMAND', () => {
    expectParseRejects({ op: 'register', family: 'a b', size: '8' }, 'E_BAD_COMMAND', 'register: size is not a number');
  });
  it('an alloc of a family with a bad name is not judged here (E_UNKNOWN_FAMILY is decide\'s)', () => {
    expectPasses({ op: 'alloc', id: 'x', family: 'a b' });
  });
});

describe('parseCommand passes on what only the heap can judge, as the very object given', () => {
  it.each<Record<string, unknown>>([
    { op: 'register', family: 'emp_t', size: 36 },
    { op: 'register', family: 'x'.repeat(64), size: 0 },
    { op: 'register', family: 'f', size: -1.5 },
    { op: 'register', family: 'f', size: 1e12, note: 'extra fields stay' },
    { op: 'alloc', id: 'x', family: 'nope', units: 0 },
    { op: 'alloc', id: 'x', family: 'f', units: -1 },
    { op: 'alloc', id: 'x', family: 'f', units: 1.5 },
    { op: 'alloc', id: 'x', family: 'f', units: 2 ** 40 },
    { op: 'alloc', id: 'x', family: 'f', type: 'Rejected' },
    { op: 'free', id: 'ghost' },
    { op: 'realloc', id: 'ghost', units: 0, to: 'x' },
    { op: 'realloc', id: 'x' },
  ])('%j', (input) => expectPasses(input));

  it('never gives a code that needs the heap', () => {
    fc.assert(
      fc.property(fc.jsonValue(), commandish(), (json, cmd) => {
        for (const input of [json, cmd]) {
          const fact = rejection(input);
          if (fact !== undefined) expect(['E_BAD_COMMAND', 'E_FAMILY_NAME']).toContain(fact.code);
        }
      }),
      { numRuns: propertyRuns(500) },
    );
  });
});

/** Objects shaped almost like commands: right and wrong ops, fields of every JSON type. */
function commandish(): fc.Arbitrary<Record<string, unknown>> {
  const value = fc.oneof(fc.constantFrom('', 'e1', 'emp_t', 'a b', 'ghost', 'x'.repeat(65)), fc.constantFrom(0, 1, 2, -1, 1.5, 36, 5000, 2 ** 40), fc.constantFrom(null, true, [], {}));
  return fc.record(
    { op: fc.constantFrom('register', 'alloc', 'free', 'realloc', 'nope', 7), id: value, family: value, size: value, units: value, to: value },
    { requiredKeys: ['op'] },
  );
}

describe('parseCommand then decide is step: the first failing check of SPEC order wins', () => {
  // Families emp_t (36 B) and one_t (1 B); e1, e2 live; at most 2 pages in use. Built for
  // each test, not while the file loads, so mutation testing can tell which test covers what.
  let state: HeapState;
  beforeEach(() => {
    state = heap({ layout: LAYOUTS.seed, maxPages: 2 }, [
      { op: 'register', family: 'emp_t', size: 36 },
      { op: 'register', family: 'one_t', size: 1 },
      { op: 'alloc', id: 'e1', family: 'emp_t' },
      { op: 'alloc', id: 'e2', family: 'one_t' },
    ]).state;
  });

  it('a command parseCommand rejects is rejected by step with that very fact, whatever the heap', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), commandish()), (input) => {
        const fact = rejection(input);
        for (const s of [initialState({ layout: LAYOUTS.lmm64 }), state]) {
          const { facts } = step(s, input);
          if (fact !== undefined) expect(facts).toStrictEqual([fact]);
          else if (facts[0]?.type === 'Rejected') expect(facts[0].code).not.toBe('E_BAD_COMMAND');
        }
      }),
      { numRuns: propertyRuns(500) },
    );
  });

  it('checks in SPEC order, each command breaking every later rule too', () => {
    const cases: [unknown, RejectionCode][] = [
      // register: BAD_COMMAND, FAMILY_NAME, FAMILY_EXISTS, FAMILY_SIZE
      [{ op: 'register', family: 'a b', size: '0' }, 'E_BAD_COMMAND'],
      [{ op: 'register', family: 'a b', size: 0 }, 'E_FAMILY_NAME'],
      [{ op: 'register', family: 'emp_t', size: 0 }, 'E_FAMILY_EXISTS'],
      [{ op: 'register', family: 'new_t', size: 0 }, 'E_FAMILY_SIZE'],
      // alloc: BAD_COMMAND, UNKNOWN_FAMILY, BAD_UNITS, ID_IN_USE, OUT_OF_MEMORY
      [{ op: 'alloc', id: '', family: 'nope', units: 0 }, 'E_BAD_COMMAND'],
      [{ op: 'alloc', id: 'e1', family: 'nope', units: 0 }, 'E_UNKNOWN_FAMILY'],
      [{ op: 'alloc', id: 'e1', family: 'one_t', units: 0 }, 'E_BAD_UNITS'],
      [{ op: 'alloc', id: 'e1', family: 'one_t', units: 100000 }, 'E_ID_IN_USE'],
      [{ op: 'alloc', id: 'new', family: 'one_t', units: 100000 }, 'E_OUT_OF_MEMORY'],
      // free: BAD_COMMAND, NOT_ALLOCATED
      [{ op: 'free', id: '' }, 'E_BAD_COMMAND'],
      [{ op: 'free', id: 'ghost' }, 'E_NOT_ALLOCATED'],
      // realloc: BAD_COMMAND, NOT_ALLOCATED, BAD_UNITS, ID_IN_USE, OUT_OF_MEMORY
      [{ op: 'realloc', id: 'ghost', to: '', units: 0 }, 'E_BAD_COMMAND'],
      [{ op: 'realloc', id: 'ghost', to: 'e2', units: 0 }, 'E_NOT_ALLOCATED'],
      [{ op: 'realloc', id: 'e1', to: 'e2', units: 0 }, 'E_BAD_UNITS'],
      [{ op: 'realloc', id: 'e1', to: 'e2', units: 1000 }, 'E_ID_IN_USE'],
      [{ op: 'realloc', id: 'e1', to: 'new', units: 1000 }, 'E_OUT_OF_MEMORY'],
    ];
    for (const [input, code] of cases) {
      const { facts } = step(state, input);
      expect(facts, JSON.stringify(input)).toHaveLength(1);
      expect(facts[0], JSON.stringify(input)).toMatchObject({ type: 'Rejected', code, command: input });
      const parsed = rejection(input);
      if (code === 'E_BAD_COMMAND' || code === 'E_FAMILY_NAME') expect(parsed?.code).toBe(code);
      else expect(parsed).toBeUndefined();
    }
  });
});
