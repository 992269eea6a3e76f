import type { AllocatedFact, Fact, Frag, FreedFact, PageReleaseFact, PageRequestFact, RejectedFact } from './fact.js';
import { HeapDraft } from './draft.js';
import { maxAlloc } from './layout.js';
import type { RejectionCode } from './rejection.js';
import { chooseBlock } from './choose.js';
import type { FamilyState, HeapState, LiveRef } from './state.js';

/** The largest request in bytes (`units × family.size`) an alloc or realloc may make. */
export const MAX_REQUEST_BYTES = 2 ** 31;

const FAMILY_NAME = /^[\x21-\x7e]{1,64}$/;
const NONE: readonly string[] = [];
const FAMILY = ['family'] as const;
const SIZE = ['size'] as const;
const ID = ['id'] as const;
const ID_FAMILY = ['id', 'family'] as const;
const UNITS = ['units'] as const;
const TO = ['to'] as const;

/**
 * Decides what a command does to a state, as facts (SPEC §1). Pure: reads nothing but its
 * arguments. Accepts any value: what is not a valid command, or breaks a rule, yields one
 * `Rejected` fact with the first failing check's code, and the state must then stay as is.
 */
export function decide(state: HeapState, input: unknown): Fact[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return reject(input, 'E_BAD_COMMAND', 'command is not a JSON object');
  }
  const cmd = input as Record<string, unknown>;
  switch (cmd.op) {
    case 'register':
      return register(state, cmd);
    case 'alloc':
      return alloc(state, cmd);
    case 'free':
      return free(state, cmd);
    case 'realloc':
      return realloc(state, cmd);
    default:
      return reject(cmd, 'E_BAD_COMMAND', typeof cmd.op === 'string' ? `unknown op '${cmd.op}'` : 'op is not a string');
  }
}

function reject(command: unknown, code: RejectionCode, message: string): [RejectedFact] {
  return [{ type: 'Rejected', command, code, message }];
}

/** The first field whose JSON type is wrong, as a message, or undefined. */
function badField(cmd: Record<string, unknown>, strings: readonly string[], optStrings: readonly string[], numbers: readonly string[], optNumbers: readonly string[]): string | undefined {
  for (const f of strings) {
    if (typeof cmd[f] !== 'string') return `${f} is not a string`;
    if (cmd[f] === '' && f !== 'family') return `${f} is empty`;
  }
  for (const f of optStrings) {
    if (cmd[f] === undefined) continue;
    if (typeof cmd[f] !== 'string') return `${f} is not a string`;
    if (cmd[f] === '') return `${f} is empty`;
  }
  for (const f of numbers) if (typeof cmd[f] !== 'number') return `${f} is not a number`;
  for (const f of optNumbers) if (cmd[f] !== undefined && typeof cmd[f] !== 'number') return `${f} is not a number`;
  return undefined;
}

function register(state: HeapState, cmd: Record<string, unknown>): Fact[] {
  const bad = badField(cmd, FAMILY, NONE, SIZE, NONE);
  if (bad) return reject(cmd, 'E_BAD_COMMAND', `register: ${bad}`);
  const family = cmd.family as string;
  const size = cmd.size as number;
  if (!FAMILY_NAME.test(family)) return reject(cmd, 'E_FAMILY_NAME', `family name ${JSON.stringify(family)} is not 1–64 printable ASCII characters without spaces`);
  if (state.familyIndex.has(family)) return reject(cmd, 'E_FAMILY_EXISTS', `family '${family}' is already registered`);
  const max = maxAlloc(state.layout);
  if (!Number.isInteger(size) || size < 1 || size > max) return reject(cmd, 'E_FAMILY_SIZE', `family size ${size} is not an integer from 1 to ${max}`);
  return [{ type: 'Registered', family, size }];
}

function familyByName(state: HeapState, name: string): FamilyState | undefined {
  const index = state instanceof HeapDraft ? state.familyIndexOf(name) : state.familyIndex.get(name);
  return index === undefined ? undefined : state.families.get(index);
}

function unitsProblem(units: number, fam: FamilyState): string | undefined {
  if (!Number.isInteger(units) || units < 1) return `units ${units} is not an integer ≥ 1`;
  if (units * fam.size > MAX_REQUEST_BYTES) return `${units} units of '${fam.name}' (${units * fam.size} bytes) exceed 2^31 bytes`;
  return undefined;
}

function alloc(state: HeapState, cmd: Record<string, unknown>): Fact[] {
  const bad = badField(cmd, ID_FAMILY, NONE, NONE, UNITS);
  if (bad) return reject(cmd, 'E_BAD_COMMAND', `alloc: ${bad}`);
  const id = cmd.id as string;
  const fam = familyByName(state, cmd.family as string);
  if (fam === undefined) return reject(cmd, 'E_UNKNOWN_FAMILY', `family '${cmd.family as string}' is not registered`);
  const units = (cmd.units as number | undefined) ?? 1;
  const unitsBad = unitsProblem(units, fam);
  if (unitsBad) return reject(cmd, 'E_BAD_UNITS', unitsBad);
  if (state.live.has(id)) return reject(cmd, 'E_ID_IN_USE', `id '${id}' is already allocated`);
  return planAlloc(state, fam, id, units, undefined) ?? reject(cmd, 'E_OUT_OF_MEMORY', outOfMemory(state));
}

function outOfMemory(state: HeapState): string {
  return `the page limit of ${state.maxPages ?? 0} pages would be exceeded (${state.pagesInUse} in use)`;
}

/** The facts of allocating `units` of `fam` under `id`, or undefined when the page limit forbids it. */
function planAlloc(state: HeapState, fam: FamilyState, id: string, units: number, from: string | undefined): Fact[] | undefined {
  const { pageSize, pageHeaderSize, metaSize } = state.layout;
  const size = units * fam.size;
  const extra = from === undefined ? undefined : ({ realloc: true, from } as const);
  if (size > maxAlloc(state.layout)) {
    const count = Math.ceil((pageHeaderSize + metaSize + size) / pageSize);
    if (!withinLimit(state, count)) return undefined;
    const page = state.nextPage;
    const gap = count * pageSize - pageHeaderSize - metaSize - size;
    return [
      { type: 'PageRequest', family: fam.name, page, count },
      allocatedFact(id, fam.name, page, pageHeaderSize, size, units, 'large', gap, extra),
    ];
  }
  const facts: Fact[] = [];
  let chosen = chooseBlock(state.policy, fam, size);
  if (chosen === undefined) {
    if (!withinLimit(state, 1)) return undefined;
    const request: PageRequestFact = { type: 'PageRequest', family: fam.name, page: state.nextPage, count: 1 };
    facts.push(request);
    chosen = { page: request.page, offset: pageHeaderSize, size: maxAlloc(state.layout) };
  }
  const rem = chosen.size - size;
  let frag: Frag = 'none';
  let gap = 0;
  if (rem > 0 && rem <= metaSize) {
    frag = 'hard';
    gap = rem;
  } else if (rem > metaSize && rem - metaSize < fam.size) {
    frag = 'soft';
  }
  facts.push(allocatedFact(id, fam.name, chosen.page, chosen.offset, size, units, frag, gap, extra));
  return facts;
}

function withinLimit(state: HeapState, count: number): boolean {
  return state.maxPages === null || state.pagesInUse + count <= state.maxPages;
}

function allocatedFact(id: string, family: string, page: number, offset: number, size: number, units: number, frag: Frag, gap: number, extra: { realloc: true; from: string } | undefined): AllocatedFact {
  const fact: AllocatedFact = { type: 'Allocated', id, family, page, offset, size, units, frag, gap };
  return extra === undefined ? fact : { ...fact, ...extra };
}

function free(state: HeapState, cmd: Record<string, unknown>): Fact[] {
  const bad = badField(cmd, ID, NONE, NONE, NONE);
  if (bad) return reject(cmd, 'E_BAD_COMMAND', `free: ${bad}`);
  const id = cmd.id as string;
  const ref = state.live.get(id);
  if (ref === undefined) return reject(cmd, 'E_NOT_ALLOCATED', `id '${id}' is not allocated`);
  return planFree(state, id, ref, undefined);
}

/**
 * The facts of freeing the live block `ref` of `id`: Freed with its merges, then PageRelease
 * when the page empties. `after` is the allocation a realloc made just before, in the same
 * family: the free must see the heap as that allocation left it.
 */
function planFree(state: HeapState, id: string, ref: LiveRef, after: AllocatedFact | undefined): Fact[] {
  const { pageSize, pageHeaderSize, metaSize } = state.layout;
  const fam = state.families.get(ref.family)!;
  const page = (state instanceof HeapDraft ? state.readPage(fam, ref.page) : fam.pages.get(ref.page))!;
  const block = page.blocks.get(ref.offset)!;
  let mOff = block.offset;
  let mSize = block.size + block.gap;
  if (page.count > 1) {
    mSize = page.count * pageSize - pageHeaderSize - metaSize;
  } else {
    const next = page.blocks.valueAtOrAbove(block.offset, true);
    // A realloc's new block may have been carved from a neighbour: the next one is then
    // allocated; the previous one leaves only its free remainder (if any) beside us.
    const nextTaken = after !== undefined && next !== undefined && after.page === page.page && after.offset === next.offset;
    if (next !== undefined && next.free && !nextTaken) mSize += metaSize + next.size;
    const prev = page.blocks.valueAtOrBelow(block.offset, true);
    if (prev !== undefined && prev.free) {
      const prevTaken = after !== undefined && after.page === page.page && after.offset === prev.offset;
      const remainder = prevTaken ? prev.size - after.size - after.gap : 0;
      if (!prevTaken) {
        mOff = prev.offset;
        mSize += metaSize + prev.size;
      } else if (remainder > 0) {
        mOff = prev.offset + metaSize + after.size;
        mSize += remainder;
      }
    }
  }
  const merged = { offset: mOff, size: mSize };
  const freedFact: FreedFact =
    after === undefined
      ? { type: 'Freed', id, family: fam.name, page: page.page, offset: block.offset, size: block.size, merged }
      : { type: 'Freed', id, family: fam.name, page: page.page, offset: block.offset, size: block.size, merged, realloc: true };
  if (mOff !== pageHeaderSize || mOff + metaSize + mSize !== page.count * pageSize) return [freedFact];
  const release: PageReleaseFact = { type: 'PageRelease', family: fam.name, page: page.page, count: page.count };
  return [freedFact, release];
}

function realloc(state: HeapState, cmd: Record<string, unknown>): Fact[] {
  const bad = badField(cmd, ID, TO, NONE, UNITS);
  if (bad) return reject(cmd, 'E_BAD_COMMAND', `realloc: ${bad}`);
  const id = cmd.id as string;
  const to = (cmd.to as string | undefined) ?? id;
  const ref = state.live.get(id);
  if (ref === undefined) return reject(cmd, 'E_NOT_ALLOCATED', `id '${id}' is not allocated`);
  const fam = state.families.get(ref.family)!;
  const units = (cmd.units as number | undefined) ?? 1;
  const unitsBad = unitsProblem(units, fam);
  if (unitsBad) return reject(cmd, 'E_BAD_UNITS', unitsBad);
  if (to !== id && state.live.has(to)) return reject(cmd, 'E_ID_IN_USE', `id '${to}' is already allocated`);
  const allocFacts = planAlloc(state, fam, to, units, id);
  if (allocFacts === undefined) return reject(cmd, 'E_OUT_OF_MEMORY', outOfMemory(state));
  // The old block is freed in the heap as the allocation left it: its neighbours may have changed.
  const allocated = allocFacts[allocFacts.length - 1] as AllocatedFact;
  return [...allocFacts, ...planFree(state, id, ref, allocated)];
}
