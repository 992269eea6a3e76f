import type { Layout } from '@lmm/core';
import { parseCommandLines, type TraceCommand } from './commandTrace.js';
import { detectFormat, type ConcreteTraceFormat } from './detectFormat.js';
import { FamilyMapper, type FamilyMapping } from './familyMapping.js';
import type { InputError } from './inputError.js';
import { readLines, type LineChunk, type ReadLinesOptions } from './lines.js';
import { RepParser } from './rep.js';
import { ValgrindParser } from './valgrind.js';

export type { FamilyMapping } from './familyMapping.js';

/** The trace formats `lmm run` reads (SPEC §4); `auto` tells them apart by content (see `detectFormat`). */
export type TraceFormat = 'auto' | ConcreteTraceFormat;

/** Options of `readTrace`. */
export interface ReadTraceOptions extends ReadLinesOptions {
  /** The file's format (default `auto`). */
  readonly format?: TraceFormat;
  /** How valgrind and malloc-lab requests map to families (default `single`); JSONL traces name their own. */
  readonly families?: FamilyMapping;
  /** The layout the commands are for (the `pow2`/`exact` mappings send requests above maxAlloc to `large`). */
  readonly layout: Layout;
  /** Told about what the reader skips but the user should know (a `.rep`'s lines after its announced operations). */
  readonly onWarning?: (warning: InputError) => void;
}

/** Turns a format's lines into commands, chunk by chunk; `end` runs after the last chunk. */
export interface TraceParser {
  parse(chunk: LineChunk): TraceCommand[];
  end(): TraceCommand[];
}

/** The parser of a format. */
export function traceParser(format: ConcreteTraceFormat, file: string, options: ReadTraceOptions): TraceParser {
  switch (format) {
    case 'jsonl':
      return { parse: (chunk) => parseCommandLines(chunk, file), end: () => [] };
    case 'valgrind':
      return new ValgrindParser(file, new FamilyMapper(options.families ?? 'single', options.layout));
    case 'rep':
      return new RepParser(file, new FamilyMapper(options.families ?? 'single', options.layout), options.onWarning);
  }
}

/**
 * Streams a trace file as batches of commands with their lines, whatever its format (one
 * batch per chunk of lines read; empty batches are not yielded). Never holds the whole
 * file: memory is one chunk plus, for valgrind and malloc-lab traces, the family of every
 * live id. Unparsable lines are InputErrors naming file and line. Closing the generator
 * early closes the file.
 */
export async function* readTrace(path: string, options: ReadTraceOptions): AsyncGenerator<TraceCommand[]> {
  const file = options.displayName ?? path;
  const lines = readLines(path, options);
  try {
    let format = options.format ?? 'auto';
    // `auto`: read until a meaningful line tells the format (chunks before it hold only
    // blank and comment lines, which no format turns into commands).
    let first: LineChunk | undefined;
    while (format === 'auto') {
      const next = await lines.next();
      if (next.done) break;
      format = detectFormat(next.value, file) ?? 'auto';
      if (format !== 'auto') first = next.value;
    }
    const parser = traceParser(format === 'auto' ? 'jsonl' : format, file, options);
    if (first !== undefined) {
      const cmds = parser.parse(first);
      if (cmds.length > 0) yield cmds;
    }
    for (;;) {
      const next = await lines.next();
      if (next.done) break;
      const cmds = parser.parse(next.value);
      if (cmds.length > 0) yield cmds;
    }
    const tail = parser.end();
    if (tail.length > 0) yield tail;
  } finally {
    await lines.return(undefined);
  }
}
