import { concatAll, type Observable } from 'rxjs';
import { fromAsync } from './fromAsync.js';

/**
 * An Observable of the items of an async source of batches, pulled one batch at a time:
 * `fromAsync` of the batches, each flattened as it arrives, so the next batch is asked for
 * only after every item of the current one was emitted to a synchronous subscriber. Cold:
 * `open` runs on each subscription. Completes when the source ends, errors with what it
 * throws, and on unsubscribe (mid-batch too) stops emitting and closes the source.
 */
export function fromBatches<T>(open: () => AsyncIterator<readonly T[]>): Observable<T> {
  return fromAsync(open).pipe(concatAll());
}
