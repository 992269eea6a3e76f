import { maxAlloc, type Fact, type HeapState } from '@lmm/core';

/**
 * The paths of SPEC §1 a command took, as names, for coverage counting:
 * `frag:none|hard|soft|large` (allocations; large = a multi-page block), `request:page|large`,
 * `merge:next|prev|both` (frees of single-page blocks), `release:page|large`,
 * `realloc`, `realloc:to` (to another id), `realloc:same` (to its own id, explicit or not),
 * `realloc:large`, `reject:<code>`, and `oom:alloc|large|realloc` (which request hit the
 * page limit). `before` is the state the command ran on.
 */
export function commandCategories(before: HeapState, command: unknown, facts: readonly Fact[]): string[] {
  const out = new Set<string>();
  const { metaSize } = before.layout;
  for (const fact of facts) {
    switch (fact.type) {
      case 'Registered':
        out.add('register');
        break;
      case 'PageRequest':
        out.add(fact.count > 1 ? 'request:large' : 'request:page');
        break;
      case 'Allocated':
        out.add(`frag:${fact.frag}`);
        if (fact.realloc === true) {
          out.add('realloc');
          out.add(fact.from === fact.id ? 'realloc:same' : 'realloc:to');
          if (fact.frag === 'large') out.add('realloc:large');
        }
        break;
      case 'Freed': {
        if (fact.merged.offset < fact.offset) out.add('merge:prev');
        const beyond = fact.merged.offset + fact.merged.size - (fact.offset + fact.size);
        const single = before.families.get(before.familyIndex.get(fact.family) ?? -1)?.pages.get(fact.page)?.count === 1;
        if (single && beyond > metaSize) out.add('merge:next');
        if (out.has('merge:prev') && out.has('merge:next')) out.add('merge:both');
        break;
      }
      case 'PageRelease':
        out.add(fact.count > 1 ? 'release:large' : 'release:page');
        break;
      case 'Rejected':
        out.add(`reject:${fact.code}`);
        if (fact.code === 'E_OUT_OF_MEMORY') out.add(oomKind(before, command));
        break;
      default: {
        const never: never = fact;
        throw new Error(`unknown fact ${JSON.stringify(never)}`);
      }
    }
  }
  return [...out];
}

function oomKind(before: HeapState, command: unknown): string {
  const cmd = command as { op?: unknown; family?: unknown; id?: unknown; units?: unknown };
  const units = typeof cmd.units === 'number' ? cmd.units : 1;
  if (cmd.op === 'realloc') return 'oom:realloc';
  const index = typeof cmd.family === 'string' ? before.familyIndex.get(cmd.family) : undefined;
  const fam = index === undefined ? undefined : before.families.get(index);
  return fam !== undefined && units * fam.size > maxAlloc(before.layout) ? 'oom:large' : 'oom:alloc';
}

/** Counts, over many runs, how many runs took each path (`commandCategories`). */
export class Coverage {
  private readonly runs = new Map<string, number>();
  private total = 0;

  /** Records one run given its initial state, commands, facts per command and states after each. */
  addRun(initial: HeapState, commands: readonly unknown[], facts: readonly (readonly Fact[])[], states: readonly HeapState[]): void {
    const seen = new Set<string>();
    let before = initial;
    commands.forEach((command, i) => {
      for (const c of commandCategories(before, command, facts[i] ?? [])) seen.add(c);
      before = states[i] ?? before;
    });
    for (const c of seen) this.runs.set(c, (this.runs.get(c) ?? 0) + 1);
    this.total++;
  }

  /** Runs recorded. */
  get runCount(): number {
    return this.total;
  }

  /** How many runs took path `category`. */
  count(category: string): number {
    return this.runs.get(category) ?? 0;
  }

  /** The categories of `required` that no run reached. */
  missing(required: readonly string[]): string[] {
    return required.filter((c) => this.count(c) === 0);
  }

  /** Each category with the share of runs that reached it, sorted by name: `name: 42.0%`. */
  table(): string[] {
    return [...this.runs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, n]) => `${c}: ${((100 * n) / Math.max(1, this.total)).toFixed(1)}%`);
  }
}
