import type { Fact } from '@lmm/core';

/**
 * Checks that the facts of one command form a whole command of SPEC §1, as `decide` makes
 * them: `Rejected`; `Registered`; `[PageRequest] Allocated`; `Freed [PageRelease]`; or a
 * realloc `[PageRequest] Allocated{realloc} Freed{realloc} [PageRelease]`, with the page
 * request feeding the allocation, the release freeing the freed block's page and a realloc's
 * free naming the allocation's `from`. Returns what is wrong (and the index of the fact at
 * fault), or undefined when the facts are one command. A log cut between the facts of a
 * command, or spliced from two logs, fails here.
 */
export function commandUnitProblem(facts: readonly Fact[]): { index: number; reason: string } | undefined {
  const first = facts[0];
  if (first === undefined) return { index: 0, reason: 'a command without facts' };
  const bad = (index: number, reason: string) => ({ index, reason });
  if (first.type === 'Rejected' || first.type === 'Registered') {
    return facts.length === 1 ? undefined : bad(1, `a ${first.type} fact must be its command's only fact`);
  }
  let i = 0;
  const request = first.type === 'PageRequest' ? first : undefined;
  if (request) i++;
  const alloc = facts[i]?.type === 'Allocated' ? (facts[i] as Extract<Fact, { type: 'Allocated' }>) : undefined;
  if (request && alloc === undefined) return bad(i, 'a PageRequest must be followed by the Allocated fact it serves');
  if (alloc) {
    if (request && (request.family !== alloc.family || request.page !== alloc.page)) {
      return bad(i, `the allocation (page ${alloc.page} of '${alloc.family}') is not in the page just requested (page ${request.page} of '${request.family}')`);
    }
    i++;
    if (alloc.realloc !== true) return facts.length === i ? undefined : bad(i, 'an alloc command ends with its Allocated fact');
  }
  const freed = facts[i]?.type === 'Freed' ? (facts[i] as Extract<Fact, { type: 'Freed' }>) : undefined;
  if (freed === undefined) return bad(i, alloc ? 'a realloc must free its old block (a Freed fact) after the Allocated fact' : `a command cannot begin with a ${facts[i]?.type ?? 'missing'} fact`);
  if (alloc && (freed.realloc !== true || freed.id !== alloc.from || freed.family !== alloc.family)) {
    return bad(i, `the realloc's Freed fact must free '${alloc.from ?? ''}' of '${alloc.family}' with realloc:true`);
  }
  if (!alloc && freed.realloc === true) return bad(i, 'a Freed fact with realloc:true without its Allocated fact');
  i++;
  const release = facts[i];
  if (release === undefined) return undefined;
  if (release.type !== 'PageRelease') return bad(i, `a ${release.type} fact after a Freed fact in the same command`);
  if (release.family !== freed.family || release.page !== freed.page) {
    return bad(i, `the released page (${release.page} of '${release.family}') is not the freed block's page (${freed.page} of '${freed.family}')`);
  }
  return facts.length === i + 1 ? undefined : bad(i + 1, 'a command ends with its PageRelease fact');
}
