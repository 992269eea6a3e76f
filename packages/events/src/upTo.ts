import { Observable, type MonoTypeOperatorFunction } from 'rxjs';

/**
 * Passes batches on up to and including their `n`-th item in all (each item one command),
 * then completes and unsubscribes from the source (which closes a file being read). `n` = 0
 * completes at once; `Infinity` passes everything.
 */
export function upTo<T>(n: number): MonoTypeOperatorFunction<readonly T[]> {
  return (source) =>
    new Observable<readonly T[]>((subscriber) => {
      let seen = 0;
      if (n <= 0) {
        subscriber.complete();
        return undefined;
      }
      const sub = source.subscribe({
        next(batch) {
          if (seen + batch.length < n) {
            seen += batch.length;
            subscriber.next(batch);
            return;
          }
          const part = batch.slice(0, n - seen);
          seen = n;
          if (part.length > 0) subscriber.next(part);
          subscriber.complete();
          sub?.unsubscribe();
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
      if (seen >= n) sub.unsubscribe();
      return sub;
    });
}
