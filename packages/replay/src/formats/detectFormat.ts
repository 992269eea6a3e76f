import { preview } from './commandTrace.js';
import { InputError } from './inputError.js';
import type { LineChunk } from './lines.js';

/** A trace format as read from the file, once `auto` has been resolved. */
export type ConcreteTraceFormat = 'jsonl' | 'valgrind' | 'rep';

/**
 * Tells a trace's format by its first meaningful line (blank lines and `#` comment lines —
 * `#` in the first column — are skipped):
 * - `==PID==` or `--PID--` at the start: a valgrind log (valgrind writes `==PID==` lines first);
 * - `{` or `[` at the start: command JSONL;
 * - only integers: a malloc-lab `.rep` (its header numbers).
 *
 * Returns undefined when the chunk holds no meaningful line (look at the next one); a
 * meaningful line of none of these forms is an InputError suggesting `--format`.
 */
export function detectFormat(chunk: LineChunk, file: string): ConcreteTraceFormat | undefined {
  for (let i = 0; i < chunk.text.length; i++) {
    const t = chunk.text[i]!.trim();
    if (t === '' || chunk.text[i]!.startsWith('#')) continue;
    if (/^(==\d+==|--\d+--)/.test(t)) return 'valgrind';
    if (t.startsWith('{') || t.startsWith('[')) return 'jsonl';
    if (/^\d+(\s+\d+)*$/.test(t)) return 'rep';
    throw new InputError(file, chunk.first + i, `cannot tell the trace format from this line (not a JSON command, a valgrind log line or a malloc-lab header; use --format): ${preview(t)}`);
  }
  return undefined;
}
