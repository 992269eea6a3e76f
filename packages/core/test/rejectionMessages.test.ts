/**
 * The message of every rejection (SPEC §3: a Rejected fact carries the command, its code and a
 * message for people): one command per check, with the words a reader of a fact log or of
 * `lmm show` sees. The heap is the seed layout's (4096 B pages, no page header, 28 B meta
 * blocks: the largest single-page block is 4068 B) with families emp_t (36 B) and one_t (1 B),
 * e1 and e2 live, and a page limit of 1 where it says so.
 */
import { describe, expect, it } from 'vitest';
import { decide, LAYOUTS, step, type Command, type HeapState } from '@lmm/core';
import { heap } from './support.js';

function base(maxPages: number | null = null): HeapState {
  return heap({ layout: LAYOUTS.seed, maxPages }, [
    { op: 'register', family: 'emp_t', size: 36 },
    { op: 'register', family: 'one_t', size: 1 },
    { op: 'alloc', id: 'e1', family: 'emp_t' },
    { op: 'alloc', id: 'e2', family: 'emp_t', units: 2 },
  ]).state;
}

/** The code and message `command` is rejected with on `state`. */
function rejection(state: HeapState, command: unknown): string {
  const [fact, ...rest] = step(state, command).facts;
  expect(rest).toEqual([]);
  if (fact?.type !== 'Rejected') throw new Error(`not rejected: ${JSON.stringify(command)}`);
  return `${fact.code}: ${fact.message}`;
}

describe('rejection messages', () => {
  it.each<[unknown, string]>([
    [null, 'E_BAD_COMMAND: command is not a JSON object'],
    [[{ op: 'free', id: 'e1' }], 'E_BAD_COMMAND: command is not a JSON object'],
    ['alloc', 'E_BAD_COMMAND: command is not a JSON object'],
    [{ op: 'malloc' }, "E_BAD_COMMAND: unknown op 'malloc'"],
    [{ op: 7 }, 'E_BAD_COMMAND: op is not a string'],
    [{}, 'E_BAD_COMMAND: op is not a string'],
    [{ op: 'register', family: 5, size: 8 }, 'E_BAD_COMMAND: register: family is not a string'],
    [{ op: 'register', family: 'x_t', size: '8' }, 'E_BAD_COMMAND: register: size is not a number'],
    [{ op: 'register', family: 'x_t' }, 'E_BAD_COMMAND: register: size is not a number'],
    [{ op: 'register', family: 'a b', size: 8 }, 'E_FAMILY_NAME: family name "a b" is not 1–64 printable ASCII characters without spaces'],
    [{ op: 'register', family: 'emp_t', size: 8 }, "E_FAMILY_EXISTS: family 'emp_t' is already registered"],
    [{ op: 'register', family: 'x_t', size: 4069 }, 'E_FAMILY_SIZE: family size 4069 is not an integer from 1 to 4068'],
    [{ op: 'register', family: 'x_t', size: 0 }, 'E_FAMILY_SIZE: family size 0 is not an integer from 1 to 4068'],
    [{ op: 'alloc', id: 3, family: 'emp_t' }, 'E_BAD_COMMAND: alloc: id is not a string'],
    [{ op: 'alloc', id: '', family: 'emp_t' }, 'E_BAD_COMMAND: alloc: id is empty'],
    [{ op: 'alloc', id: 'x', family: 1 }, 'E_BAD_COMMAND: alloc: family is not a string'],
    [{ op: 'alloc', id: 'x', family: 'emp_t', units: '2' }, 'E_BAD_COMMAND: alloc: units is not a number'],
    [{ op: 'alloc', id: 'x', family: 'no_t' }, "E_UNKNOWN_FAMILY: family 'no_t' is not registered"],
    [{ op: 'alloc', id: 'x', family: 'emp_t', units: 0 }, 'E_BAD_UNITS: units 0 is not an integer ≥ 1'],
    [{ op: 'alloc', id: 'x', family: 'emp_t', units: 1.5 }, 'E_BAD_UNITS: units 1.5 is not an integer ≥ 1'],
    // 2^31 / 36 rounded up: 59652324 units are 2147483664 bytes, 16 more than 2^31.
    [{ op: 'alloc', id: 'x', family: 'emp_t', units: 59652324 }, "E_BAD_UNITS: 59652324 units of 'emp_t' (2147483664 bytes) exceed 2^31 bytes"],
    [{ op: 'alloc', id: 'e1', family: 'emp_t' }, "E_ID_IN_USE: id 'e1' is already allocated"],
    [{ op: 'free', id: 4 }, 'E_BAD_COMMAND: free: id is not a string'],
    [{ op: 'free', id: '' }, 'E_BAD_COMMAND: free: id is empty'],
    [{ op: 'free', id: 'x' }, "E_NOT_ALLOCATED: id 'x' is not allocated"],
    [{ op: 'realloc', id: 4 }, 'E_BAD_COMMAND: realloc: id is not a string'],
    [{ op: 'realloc', id: 'e1', to: '' }, 'E_BAD_COMMAND: realloc: to is empty'],
    [{ op: 'realloc', id: 'e1', to: 5 }, 'E_BAD_COMMAND: realloc: to is not a string'],
    [{ op: 'realloc', id: 'e1', units: null }, 'E_BAD_COMMAND: realloc: units is not a number'],
    [{ op: 'realloc', id: 'x', units: 2 }, "E_NOT_ALLOCATED: id 'x' is not allocated"],
    [{ op: 'realloc', id: 'e1', units: -1 }, 'E_BAD_UNITS: units -1 is not an integer ≥ 1'],
    [{ op: 'realloc', id: 'e1', to: 'e2' }, "E_ID_IN_USE: id 'e2' is already allocated"],
  ])('%j → %s', (command, expected) => {
    expect(rejection(base(), command)).toBe(expected);
  });

  it('out of memory names the page limit and the pages in use', () => {
    // e1 and e2 fill part of page 1; a block of 4068 B needs a page of its own.
    const limited = base(1);
    expect(rejection(limited, { op: 'alloc', id: 'x', family: 'one_t', units: 4068 })).toBe('E_OUT_OF_MEMORY: the page limit of 1 pages would be exceeded (1 in use)');
    expect(rejection(limited, { op: 'alloc', id: 'x', family: 'one_t', units: 5000 })).toBe('E_OUT_OF_MEMORY: the page limit of 1 pages would be exceeded (1 in use)');
    expect(rejection(limited, { op: 'realloc', id: 'e1', units: 200 })).toBe('E_OUT_OF_MEMORY: the page limit of 1 pages would be exceeded (1 in use)');
    const none = heap({ layout: LAYOUTS.seed, maxPages: 0 }, [{ op: 'register', family: 'one_t', size: 1 }]).state;
    expect(rejection(none, { op: 'alloc', id: 'x', family: 'one_t' })).toBe('E_OUT_OF_MEMORY: the page limit of 0 pages would be exceeded (0 in use)');
  });

  it('decide, handed a command of no op it knows (a caller that skipped parseCommand), rejects it as parseCommand would', () => {
    const bogus = { op: 'malloc', id: 'x' } as unknown as Command;
    expect(decide(base(), bogus)).toEqual([{ type: 'Rejected', command: bogus, code: 'E_BAD_COMMAND', message: "unknown op 'malloc'" }]);
  });
});
