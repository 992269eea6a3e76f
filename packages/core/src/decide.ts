import type { Command, AllocCommand, FreeCommand, ReallocCommand, RegisterCommand } from './command.js';
import type { AllocatedFact, Fact, Frag, FreedFact, PageReleaseFact, PageRequestFact, RejectedFact } from './fact.js';
import type { HeapReader } from './heapReader.js';
import { maxAlloc } from './layout.js';
import { rejected } from './parseCommand.js';
import type { RejectionCode } from './rejection.js';
import { chooseBlock } from './choose.js';
import type { BlockState, FamilyState } from './state.js';

/** The largest request in bytes (`units × family.size`) an alloc or realloc may make. */
export const MAX_REQUEST_BYTES = 2 ** 31;

/**
 * Decides what a command does to a heap, as facts (SPEC §1). Pure: reads nothing but its
 * arguments, and the heap only through `state`. Takes the command as `parseCommand` passes it
 * on and makes the checks that remain, in SPEC order; a command that breaks one yields one
 * `Rejected` fact quoting the command as given, and the heap must then stay as it is.
 */
export function decide(state: HeapReader, command: Command): Fact[] {
  switch (command.op) {
    case 'register':
      return register(state, command);
    case 'alloc':
      return alloc(state, command);
    case 'free':
      return free(state, command);
    case 'realloc':
      return realloc(state, command);
    default: {
      const never: never = command;
      return reject(never, 'E_BAD_COMMAND', `unknown op '${String((never as { op?: unknown }).op)}'`);
    }
  }
}

function reject(command: unknown, code: RejectionCode, message: string): [RejectedFact] {
  return [rejected(command, code, message)];
}

function register(state: HeapReader, cmd: RegisterCommand): Fact[] {
  const { family, size } = cmd;
  if (state.familyNamed(family) !== undefined) return reject(cmd, 'E_FAMILY_EXISTS', `family '${family}' is already registered`);
  const max = maxAlloc(state.layout);
  if (!Number.isInteger(size) || size < 1 || size > max) return reject(cmd, 'E_FAMILY_SIZE', `family size ${size} is not an integer from 1 to ${max}`);
  return [{ type: 'Registered', family, size }];
}

function unitsProblem(units: number, fam: FamilyState): string | undefined {
  if (!Number.isInteger(units) || units < 1) return `units ${units} is not an integer ≥ 1`;
  if (units * fam.size > MAX_REQUEST_BYTES) return `${units} units of '${fam.name}' (${units * fam.size} bytes) exceed 2^31 bytes`;
  return undefined;
}

function alloc(state: HeapReader, cmd: AllocCommand): Fact[] {
  const { id } = cmd;
  const fam = state.familyNamed(cmd.family);
  if (fam === undefined) return reject(cmd, 'E_UNKNOWN_FAMILY', `family '${cmd.family}' is not registered`);
  const units = cmd.units ?? 1;
  const unitsBad = unitsProblem(units, fam);
  if (unitsBad) return reject(cmd, 'E_BAD_UNITS', unitsBad);
  if (state.liveBlock(id) !== undefined) return reject(cmd, 'E_ID_IN_USE', `id '${id}' is already allocated`);
  return planAlloc(state, fam, id, units, undefined) ?? reject(cmd, 'E_OUT_OF_MEMORY', outOfMemory(state));
}

function outOfMemory(state: HeapReader): string {
  return `the page limit of ${state.maxPages ?? 0} pages would be exceeded (${state.pagesInUse} in use)`;
}

/** The facts of allocating `units` of `fam` under `id`, or undefined when the page limit forbids it. */
function planAlloc(state: HeapReader, fam: FamilyState, id: string, units: number, from: string | undefined): Fact[] | undefined {
  const { pageSize, pageHeaderSize, metaSize } = state.layout;
  const size = units * fam.size;
  if (size > maxAlloc(state.layout)) {
    const count = Math.ceil((pageHeaderSize + metaSize + size) / pageSize);
    if (!withinLimit(state, count)) return undefined;
    const page = state.nextPage;
    const gap = count * pageSize - pageHeaderSize - metaSize - size;
    return [
      { type: 'PageRequest', family: fam.name, page, count },
      allocatedFact(id, fam.name, page, pageHeaderSize, size, units, 'large', gap, from),
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
  facts.push(allocatedFact(id, fam.name, chosen.page, chosen.offset, size, units, frag, gap, from));
  return facts;
}

function withinLimit(state: HeapReader, count: number): boolean {
  return state.maxPages === null || state.pagesInUse + count <= state.maxPages;
}

/** An Allocated fact; `from` is the id a realloc moves (the fact then says `realloc` and `from`). */
function allocatedFact(id: string, family: string, page: number, offset: number, size: number, units: number, frag: Frag, gap: number, from: string | undefined): AllocatedFact {
  // Literals in the order of SPEC §3's fields (a fact log writes them in this order).
  return from === undefined
    ? { type: 'Allocated', id, family, page, offset, size, units, frag, gap }
    : { type: 'Allocated', id, family, page, offset, size, units, frag, gap, realloc: true, from };
}

function free(state: HeapReader, cmd: FreeCommand): Fact[] {
  const { id } = cmd;
  const block = state.liveBlock(id);
  if (block === undefined) return reject(cmd, 'E_NOT_ALLOCATED', `id '${id}' is not allocated`);
  return planFree(state, id, block, undefined);
}

/**
 * The facts of freeing the live block `live` of `id`: Freed with its merges, then PageRelease
 * when the page empties. `after` is the allocation a realloc made just before, in the same
 * family: the free must see the heap as that allocation left it.
 */
function planFree(state: HeapReader, id: string, live: BlockState, after: AllocatedFact | undefined): Fact[] {
  const { pageSize, pageHeaderSize, metaSize } = state.layout;
  const fam = state.familyAt(live.family)!;
  const page = state.pageOf(fam, live.page)!;
  const block = page.blocks.get(live.offset)!;
  // The block and its gap, grown by its free neighbours (a large block fills its pages and has none).
  let mOff = block.offset;
  let mSize = block.size + block.gap;
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
  const merged = { offset: mOff, size: mSize };
  const freedFact: FreedFact =
    after === undefined
      ? { type: 'Freed', id, family: fam.name, page: page.page, offset: block.offset, size: block.size, merged }
      : { type: 'Freed', id, family: fam.name, page: page.page, offset: block.offset, size: block.size, merged, realloc: true };
  if (mOff !== pageHeaderSize || mOff + metaSize + mSize !== page.count * pageSize) return [freedFact];
  const release: PageReleaseFact = { type: 'PageRelease', family: fam.name, page: page.page, count: page.count };
  return [freedFact, release];
}

function realloc(state: HeapReader, cmd: ReallocCommand): Fact[] {
  const { id } = cmd;
  const to = cmd.to ?? id;
  const block = state.liveBlock(id);
  if (block === undefined) return reject(cmd, 'E_NOT_ALLOCATED', `id '${id}' is not allocated`);
  const fam = state.familyAt(block.family)!;
  const units = cmd.units ?? 1;
  const unitsBad = unitsProblem(units, fam);
  if (unitsBad) return reject(cmd, 'E_BAD_UNITS', unitsBad);
  if (to !== id && state.liveBlock(to) !== undefined) return reject(cmd, 'E_ID_IN_USE', `id '${to}' is already allocated`);
  const allocFacts = planAlloc(state, fam, to, units, id);
  if (allocFacts === undefined) return reject(cmd, 'E_OUT_OF_MEMORY', outOfMemory(state));
  // The old block is freed in the heap as the allocation left it: its neighbours may have changed.
  const allocated = allocFacts[allocFacts.length - 1] as AllocatedFact;
  for (const fact of planFree(state, id, block, allocated)) allocFacts.push(fact);
  return allocFacts;
}
