import type { BlockDump, FamilyDump, PageDump, QueueDump, StateDump } from '@lmm/core';
import type { StateChange } from './stateChange.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** A page's dump, changeable, with its blocks by offset. */
type MPage = Mutable<Omit<PageDump, 'blocks'>> & { blocks: Map<number, BlockDump> };
/** A family's dump, changeable, with its pages by id. */
type MFamily = Mutable<Omit<FamilyDump, 'pages' | 'queue'>> & { pages: Map<number, MPage>; queue: QueueDump[] };

const sameEntry = (x: QueueDump, y: QueueDump) => x.page === y.page && x.offset === y.offset && x.size === y.size;

const loadPage = (p: PageDump): MPage => ({ ...p, blocks: new Map(p.blocks.map((b) => [b.offset, b])) });

function load(f: FamilyDump): MFamily {
  const pages = new Map<number, MPage>();
  for (const p of f.pages) pages.set(p.page, loadPage(p));
  return { ...f, pages, queue: [...f.queue] };
}

function store(f: MFamily): FamilyDump {
  const pages: PageDump[] = [...f.pages.values()]
    .sort((x, y) => y.page - x.page)
    .map((p) => ({ ...p, blocks: [...p.blocks.values()].sort((x, y) => x.offset - y.offset) }));
  return { ...f, pages, queue: f.queue };
}

/**
 * Applies change records (from `diffStates(a, b)`) to a's state dump and returns b's: the
 * proof that a diff says everything that differs, and a way to step a picture of the heap
 * from one state to another. Throws when a record does not fit the dump it is applied to.
 */
export function applyChanges(dump: StateDump, changes: readonly StateChange[]): StateDump {
  let { layout, policy } = dump;
  const fams = new Map<string, MFamily>(dump.families.map((f) => [f.name, load(f)]));
  let order = dump.families.map((f) => f.name);
  const added: { index: number; name: string }[] = [];
  const fam = (name: string) => {
    const f = fams.get(name);
    if (f === undefined) throw new Error(`applyChanges: no family '${name}'`);
    return f;
  };
  const page = (name: string, id: number) => {
    const p = fam(name).pages.get(id);
    if (p === undefined) throw new Error(`applyChanges: no page ${id} in '${name}'`);
    return p;
  };
  const queueIndex = (q: QueueDump[], e: QueueDump) => {
    const i = q.findIndex((x) => sameEntry(x, e));
    if (i < 0) throw new Error(`applyChanges: no queue entry ${e.page}:${e.offset}=${e.size}`);
    return i;
  };
  // Queue removals first (removed and moved entries leave), then insertions in b's order.
  for (const c of changes) {
    if (c.kind === 'queue-removed' || c.kind === 'queue-moved') {
      const q = fam(c.family).queue;
      q.splice(queueIndex(q, c.entry), 1);
    }
  }
  for (const c of changes) {
    switch (c.kind) {
      case 'setting':
        if (c.field === 'layout') layout = c.b;
        else if (c.field === 'policy') policy = c.b;
        break;
      case 'family-added':
        fams.set(c.family, load(c.b));
        added.push({ index: c.index, name: c.family });
        break;
      case 'family-removed':
        fam(c.family);
        fams.delete(c.family);
        order = order.filter((n) => n !== c.family);
        break;
      case 'family-size':
        fam(c.family).size = c.b;
        break;
      case 'family-order':
        order = order.filter((n) => !c.a.includes(n)).concat(c.b);
        break;
      case 'page-added':
        fam(c.family).pages.set(c.page, loadPage(c.b));
        break;
      case 'page-removed':
        page(c.family, c.page);
        fam(c.family).pages.delete(c.page);
        break;
      case 'page-count':
        page(c.family, c.page).count = c.b;
        break;
      case 'block-added':
      case 'block-changed':
        page(c.family, c.page).blocks.set(c.offset, c.b);
        break;
      case 'block-removed':
        if (!page(c.family, c.page).blocks.delete(c.offset)) throw new Error(`applyChanges: no block at ${c.page}:${c.offset}`);
        break;
      case 'queue-removed':
        break;
      case 'queue-added':
      case 'queue-moved': {
        const q = fam(c.family).queue;
        q.splice(c.after === null ? 0 : queueIndex(q, c.after) + 1, 0, c.entry);
        break;
      }
      default: {
        const never: never = c;
        throw new Error(`applyChanges: unknown change ${JSON.stringify(never)}`);
      }
    }
  }
  for (const { index, name } of added.sort((x, y) => x.index - y.index)) order.splice(index, 0, name);
  return { layout, policy, families: order.map((n) => store(fam(n))) };
}
