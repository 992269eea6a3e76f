import { lastValueFrom, tap } from 'rxjs';
import { initialState, policyAfter, withPolicy, type HeapState, type LoggedFact } from '@lmm/core';
import type { RunBatch } from '@lmm/events';
import type { LogHeader, ReadFactLogOptions } from '../formats/factLog.js';
import type { InputError } from '../formats/inputError.js';
import { openFactLog } from '../formats/openFactLog.js';
import { foldFactLog } from '../log/foldFactLog.js';
import { checkpointPlaces, IndexBuilder, type IndexBuilderOptions, type IndexSink } from './indexBuilder.js';
import type { IndexSource } from './indexFormat.js';
import { logSource } from './logIndex.js';

/** Options of `buildIndex`. */
export interface BuildIndexOptions extends Omit<ReadFactLogOptions, 'from' | 'offsets'>, IndexBuilderOptions {
  /** Told what every batch of commands did (the batches end at every checkpoint place), with a read-only view of the state after its last command (valid during the call only). */
  readonly onBatch?: (batch: RunBatch) => void;
}

/** What `buildIndex` read. */
export interface BuiltIndex {
  readonly header: LogHeader;
  readonly commands: number;
  readonly facts: number;
  /** The state after the last command. */
  readonly state: HeapState;
}

/** The state before command 1 of a log with this header (its policy: the one command 1 runs under). */
export function emptyState(header: LogHeader): HeapState {
  return withPolicy(initialState({ layout: header.layout, policy: header.policy, maxPages: header.maxPages }), policyAfter(header.policy, header.switch, 0));
}

/**
 * Reads a fact log from its start and folds it through `foldFactLog` — the one place a log is
 * checked: the same errors for the same logs as `foldLog` — writing its index to `sink`
 * (`finish`ed: whole) as it goes. The log's last line may be cut off: the index then covers
 * the log up to its last whole command, and records the warning (`strict` refuses such a
 * log, as `readFactLog` does).
 */
export async function buildIndex(path: string, sink: IndexSink, options: BuildIndexOptions = {}): Promise<BuiltIndex> {
  const file = options.displayName ?? path;
  let cut: IndexSource['cut'] = null;
  const onWarning = (e: InputError) => {
    cut = { line: e.line, warning: e.reason };
    options.onWarning?.(e);
  };
  const { header, batches } = await openFactLog(path, { ...options, offsets: true, onWarning });
  const builder = new IndexBuilder(sink, options);
  let firstStart: number | undefined;
  let lastStart: number | undefined;
  let last: RunBatch | undefined;
  let next = 1;
  await lastValueFrom(
    batches.pipe(
      tap((commands) => {
        for (const c of commands) {
          // A command out of order is refused by the fold that follows; nothing is recorded from it on.
          if (c.cmd !== next) break;
          next++;
          firstStart ??= c.offset;
          lastStart = c.offset;
          if ((c.cmd - 1) % builder.stride === 0) builder.entry(c.cmd, c.offset, c.lines[0]!, (c.facts[0] as LoggedFact).seq - 1);
        }
      }),
      foldFactLog(header, file, { cutEvery: [checkpointPlaces(options)] }),
      tap((b) => {
        builder.batch(b);
        last = b;
        options.onBatch?.(b);
      }),
    ),
    { defaultValue: undefined },
  );
  const state = last === undefined ? emptyState(header) : (last as RunBatch).snapshot();
  await builder.finish(state, await logSource(path, firstStart, lastStart, cut));
  return { header, commands: builder.commands, facts: builder.facts, state };
}
