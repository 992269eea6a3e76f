import { Observable } from 'rxjs';

/**
 * An Observable of the values of an async iterator (e.g. a generator reading a file batch by
 * batch), pulled one at a time: the next value is asked for only after the current one was
 * emitted, so nothing piles up between the source and a synchronous subscriber. Cold: `open`
 * runs on each subscription. Completes when the source ends, errors with what it throws, and
 * on unsubscribe stops emitting and closes the source (`return()`, which runs a generator's
 * `finally`, e.g. to close a file).
 */
export function fromAsync<T>(open: () => AsyncIterator<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const source = open();
    void (async () => {
      try {
        for (;;) {
          const next = await source.next();
          if (subscriber.closed) return;
          if (next.done) return subscriber.complete();
          subscriber.next(next.value);
        }
      } catch (e) {
        if (!subscriber.closed) subscriber.error(e);
      }
    })();
    return () => {
      // An async generator queues this behind a pending `next()`; either way its `finally` runs once.
      source.return?.(undefined).catch(() => undefined);
    };
  });
}
