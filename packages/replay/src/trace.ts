import { maxAlloc, type Layout } from '@lmm/core';
import { parseCommandLines, type TraceCommand } from './commandTrace';
import { InputError } from './inputError';
import { readLines, type ReadLinesOptions } from './lines';

/** The trace formats `lmm run` reads (SPEC §4); `auto` tells them apart by content. */
export type TraceFormat = 'auto' | 'jsonl' | 'valgrind' | 'rep';

/** How size-only traces map requests to families (SPEC §4). */
export type FamilyMapping = 'single' | 'pow2' | 'exact';

/** Options of `readTrace`. */
export interface ReadTraceOptions extends ReadLinesOptions {
  readonly format?: TraceFormat;
  readonly families?: FamilyMapping;
  /** The layout the commands are for (the `pow2`/`exact` mappings send requests above maxAlloc to `large`). */
  readonly layout: Layout;
}

/**
 * Streams a trace file as batches of commands with their lines, whatever its format.
 * Never holds the whole file. Unparsable lines are InputErrors naming file and line.
 */
export async function* readTrace(path: string, options: ReadTraceOptions): AsyncGenerator<TraceCommand[]> {
  const file = options.displayName ?? path;
  const format = options.format ?? 'auto';
  void maxAlloc(options.layout);
  if (format !== 'jsonl' && format !== 'auto') throw new InputError(file, 0, `format ${format} is not supported yet`);
  for await (const chunk of readLines(path, options)) {
    const cmds = parseCommandLines(chunk, file);
    if (cmds.length > 0) yield cmds;
  }
}
