import type { Observable } from 'rxjs';
import { fromAsync, type CommandBatch } from '@lmm/events';
import { readTrace, type ReadTraceOptions } from './trace.js';

/**
 * A trace file (command JSONL, valgrind or malloc-lab, SPEC §3–§4) as a cold Observable of
 * command batches (one per chunk of lines): the file is opened on subscription, read one
 * batch at a time as the subscriber takes them, and closed at the end, on an error (the
 * InputError of a line it cannot read, after the batches before it) or on unsubscribe.
 */
export function traceBatches(path: string, options: ReadTraceOptions): Observable<CommandBatch> {
  return fromAsync(() => readTrace(path, options));
}
