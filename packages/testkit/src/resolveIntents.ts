import { maxAlloc, type Layout } from '@lmm/core';
import { badCommand } from './badCommand.js';
import type { Intent, SizeIntent, UnitsIntent } from './intents.js';

/** The largest request in bytes SPEC §1 allows. */
const MAX_BYTES = 2 ** 31;

/** Ids that catch implementations keying plain objects by id, and ids that are not plain words. */
const ODD_IDS = ['__proto__', 'constructor', 'toString', ' ', 'caf\u00e9', '0x7ffe1000', '\u{1f600}', 'a"b\\c'];
/** Valid family names that catch plain-object maps, and the longest and oddest valid names. */
const ODD_NAMES = ['__proto__', 'constructor', 'x'.repeat(64), '!~{}"\\'];

/** Picks an integer in lo…hi (inclusive; hi < lo gives lo) from a random natural number. */
function pick(r: number, lo: number, hi: number): number {
  return hi <= lo ? lo : lo + (r % (hi - lo + 1));
}

/** A family's struct size for `intent` under `layout`; always in 1…maxAlloc. */
export function familySize(intent: SizeIntent, layout: Layout): number {
  const max = maxAlloc(layout);
  const { r } = intent;
  switch (intent.band) {
    case 'tiny':
      return pick(r, 1, Math.min(max, 16));
    case 'small':
      return pick(r, 1, Math.min(max, 128));
    case 'medium':
      return pick(r, 1, max);
    case 'half':
      return Math.max(1, Math.floor((max - layout.metaSize) / (2 + (r % 2))) - ((r >> 1) % 3));
    case 'near':
      return pick(r, Math.max(1, max - layout.metaSize - 8), max);
    case 'max':
      return max;
    default: {
      const never: never = intent.band;
      throw new Error(`unknown size band ${String(never)}`);
    }
  }
}

/** The `units` field for `intent` and a family of `size` bytes; undefined means "leave it out". */
export function unitsFor(intent: UnitsIntent, size: number, layout: Layout): number | undefined {
  const max = maxAlloc(layout);
  const { r } = intent;
  switch (intent.band) {
    case 'omit':
      return undefined;
    case 'one':
      return 1;
    case 'few':
      return pick(r, 1, 8);
    case 'page':
      return pick(r, 1, Math.max(1, Math.floor(max / size)));
    case 'large': {
      const least = Math.floor(max / size) + 1;
      return pick(r, least, Math.max(least, Math.floor((4 * layout.pageSize - layout.pageHeaderSize - layout.metaSize) / size)));
    }
    case 'edge':
      return Math.floor(MAX_BYTES / size);
    case 'bad':
      return [0, -1, -(2 + (r % 5)), 1.5, 0.25, Math.floor(MAX_BYTES / size) + 1, 1e12][r % 7];
    default: {
      const never: never = intent.band;
      throw new Error(`unknown units band ${String(never)}`);
    }
  }
}

interface Live {
  id: string;
  family: number;
}

/**
 * Turns intents into concrete commands (plain JSON values) for a heap of `layout`, keeping
 * only a light record of what the commands meant to do — registered families, ids it
 * believes live, ids it freed — and no model of the heap. Frees and reallocs thus mostly
 * name live ids; an alloc rejected for the page limit makes the record drift a little,
 * which only adds `E_NOT_ALLOCATED` cases. Deterministic: same intents, same commands.
 */
export function resolveIntents(layout: Layout, intents: readonly Intent[]): unknown[] {
  const families: { name: string; size: number }[] = [];
  const names = new Set<string>();
  const used = new Set<string>();
  const live: Live[] = [];
  const freed: string[] = [];
  let idCounter = 0;
  let nameCounter = 0;
  const commands: unknown[] = [];

  const freshId = (r: number): string => {
    const odd = ODD_IDS[(r >> 3) % ODD_IDS.length]!;
    let id = r % 40 === 0 && !used.has(odd) ? odd : `i${++idCounter}`;
    while (used.has(id)) id = `i${++idCounter}`;
    used.add(id);
    return id;
  };
  const unusedName = (): string => `g${++nameCounter}`;
  // Live ids stay in allocation order, so `recent` finds heap neighbours.
  const removeLive = (index: number): Live => live.splice(index, 1)[0]!;
  const targetIndex = (target: 'live' | 'recent', r: number): number => (target === 'live' ? r % live.length : Math.max(0, live.length - 1 - (r % 3)));
  const takeFreed = (r: number): string | undefined => {
    if (freed.length === 0) return undefined;
    const i = r % freed.length;
    const id = freed[i]!;
    freed[i] = freed[freed.length - 1]!;
    freed.pop();
    return id;
  };
  const withUnits = <T extends object>(cmd: T, units: number | undefined): T | (T & { units: number }) => (units === undefined ? cmd : { ...cmd, units });

  for (const intent of intents) {
    switch (intent.kind) {
      case 'register': {
        if (intent.name >= 92 && families.length > 0) {
          // Registering a name twice (E_FAMILY_EXISTS), with its size or another.
          const again = families[intent.name % families.length]!;
          commands.push({ op: 'register', family: again.name, size: intent.name % 2 === 0 ? again.size : familySize(intent.size, layout) });
          break;
        }
        const odd = ODD_NAMES[intent.name % ODD_NAMES.length]!;
        let name = intent.name < ODD_NAMES.length && !names.has(odd) ? odd : `f${families.length + 1}`;
        while (names.has(name)) name = `f${++nameCounter}_${families.length}`;
        const size = familySize(intent.size, layout);
        names.add(name);
        families.push({ name, size });
        commands.push({ op: 'register', family: name, size });
        break;
      }
      case 'alloc': {
        // Family 63 of 0–63 stands for one never registered (E_UNKNOWN_FAMILY).
        const fam = families.length === 0 || intent.family === 63 ? undefined : families[intent.family % families.length];
        if (fam === undefined) {
          commands.push({ op: 'alloc', id: freshId(intent.r), family: unusedName() });
          break;
        }
        const units = unitsFor(intent.units, fam.size, layout);
        const famIndex = families.indexOf(fam);
        if (intent.id === 'live' && live.length > 0) {
          commands.push(withUnits({ op: 'alloc', id: live[intent.r % live.length]!.id, family: fam.name }, units));
          break;
        }
        for (let k = 0; k < intent.repeat; k++) {
          const id = (intent.id === 'reuse' && k === 0 ? takeFreed(intent.r) : undefined) ?? freshId(intent.r + k);
          commands.push(withUnits({ op: 'alloc', id, family: fam.name }, units));
          if (intent.units.band !== 'bad') live.push({ id, family: famIndex });
        }
        break;
      }
      case 'free': {
        if ((intent.target === 'live' || intent.target === 'recent') && live.length > 0) {
          const { id } = removeLive(targetIndex(intent.target, intent.r));
          freed.push(id);
          commands.push({ op: 'free', id });
        } else {
          const id = (intent.target === 'freed' ? freed[intent.r % Math.max(1, freed.length)] : undefined) ?? freshId(intent.r);
          commands.push({ op: 'free', id });
        }
        break;
      }
      case 'realloc': {
        if ((intent.target !== 'live' && intent.target !== 'recent') || live.length === 0) {
          const id = (intent.target === 'freed' ? freed[intent.r % Math.max(1, freed.length)] : undefined) ?? freshId(intent.r);
          commands.push(withUnits({ op: 'realloc', id }, unitsFor(intent.units, families[0]?.size ?? 1, layout)));
          break;
        }
        const index = targetIndex(intent.target, intent.r);
        const entry = live[index]!;
        const fam = families[entry.family]!;
        const units = unitsFor(intent.units, fam.size, layout);
        const ok = intent.units.band !== 'bad';
        let to: string | undefined;
        switch (intent.to) {
          case 'omit':
            break;
          case 'same':
            to = entry.id;
            break;
          case 'fresh':
          case 'reuse':
            to = (intent.to === 'reuse' && ok ? takeFreed(intent.r >> 4) : undefined) ?? freshId(intent.r >> 4);
            break;
          case 'live':
            to = live[(index + 1 + (intent.r >> 4)) % live.length]!.id;
            break;
          default: {
            const never: never = intent.to;
            throw new Error(`unknown to ${String(never)}`);
          }
        }
        const cmd = withUnits({ op: 'realloc', id: entry.id }, units);
        commands.push(to === undefined ? cmd : { ...cmd, to });
        if (ok && to !== undefined && to !== entry.id && intent.to !== 'live') {
          freed.push(entry.id);
          removeLive(index);
          live.push({ id: to, family: entry.family });
        }
        break;
      }
      case 'bad': {
        const one = live.length === 0 ? undefined : live[intent.r % live.length];
        const two = live.length === 0 ? undefined : live[(intent.r >> 4) % live.length];
        commands.push(
          badCommand(intent.variant, {
            family: families.length === 0 ? undefined : families[intent.r % families.length],
            liveId: one?.id,
            otherLiveId: two?.id,
            freshId: freshId(intent.r),
            freshName: unusedName(),
            maxAlloc: maxAlloc(layout),
          }),
        );
        break;
      }
      default: {
        const never: never = intent;
        throw new Error(`unknown intent ${JSON.stringify(never)}`);
      }
    }
  }
  return commands;
}
