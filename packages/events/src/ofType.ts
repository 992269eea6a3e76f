import { filter, type OperatorFunction } from 'rxjs';

/**
 * Keeps the facts (or anything with a `type`) of the given types, narrowing the union:
 * `facts$.pipe(ofType('PageRequest', 'PageRelease'))` is an Observable of
 * `(PageRequestFact | PageReleaseFact) & {seq, cmd}`.
 */
export function ofType<T extends { readonly type: string }, K extends T['type']>(...types: readonly K[]): OperatorFunction<T, Extract<T, { readonly type: K }>> {
  const wanted = new Set<string>(types);
  return filter((x: T): x is Extract<T, { readonly type: K }> => wanted.has(x.type));
}
