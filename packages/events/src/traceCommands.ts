import type { Observable } from 'rxjs';
import { readTrace, type ReadTraceOptions, type TraceCommand } from '@lmm/replay';
import { fromBatches } from './fromBatches.js';

/**
 * A trace file (any format `readTrace` reads) as an Observable of its commands with their
 * lines. Cold and lazy: the file is opened on subscription and read one batch at a time,
 * each pulled only after the last was emitted. Completes at the end of the file, errors
 * with the InputError of a line it cannot read (after emitting the commands before it),
 * and closes the file when unsubscribed.
 */
export function traceCommands(path: string, options: ReadTraceOptions): Observable<TraceCommand> {
  return fromBatches(() => readTrace(path, options));
}
