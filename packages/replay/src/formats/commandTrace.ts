import type { SourcedCommand } from '@lmm/events';
import { NOT_FLAT, parseFlatJson } from './flatJson.js';
import { InputError } from './inputError.js';
import type { LineChunk } from './lines.js';

/** A command read from a trace, with the line it came from (the pipeline's `SourcedCommand`). `command` is any JSON value: `decide` judges it. */
export type TraceCommand = SourcedCommand;

/**
 * Parses command JSONL lines (SPEC §3): one JSON value per line; blank lines (nothing but
 * white space) and lines starting with `#` (in the first column: an indented `#` is not a
 * comment, and not JSON either) are skipped. A line that is not JSON is an InputError; a JSON value that
 * is not a valid command is passed on for `decide` to reject. One exception: a fact log
 * given where a trace belongs (its first line is a fact log header, `"format":"lmm-log"`
 * and no `op`) is an InputError saying so, rather than a run of nothing but rejections.
 */
export function parseCommandLines(chunk: LineChunk, file: string): TraceCommand[] {
  const out: TraceCommand[] = [];
  for (let i = 0; i < chunk.text.length; i++) {
    const text = chunk.text[i]!;
    const line = chunk.first + i;
    // Most lines are flat command objects: read those without JSON.parse.
    let command: unknown = parseFlatJson(text);
    if (command === NOT_FLAT) {
      // SPEC §3: a comment starts with `#` in the first column; `  # x` is a line to parse.
      if (text.trim() === '' || text.startsWith('#')) continue;
      try {
        command = JSON.parse(text);
      } catch {
        throw new InputError(file, line, chunk.unterminated ? 'the last line is cut off: not valid JSON' : `not valid JSON: ${preview(text)}`);
      }
      if (text.length > MAX_JSON_DEPTH && jsonDepth(text) > MAX_JSON_DEPTH) throw new InputError(file, line, tooDeep());
    }
    if (chunk.first === 1 && out.length === 0 && isFactLogHeader(command)) {
      throw new InputError(file, line, 'this is an lmm fact log, not a command trace (lmm show, stats, diff and view read fact logs)');
    }
    out.push({ command, line });
  }
  return out;
}

/** True for the header of a fact log (SPEC §3): the file is the output of a run, not a trace. */
function isFactLogHeader(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === 'lmm-log' && !('op' in value);
}

/** The start of a line, made printable, for error messages: at most 60 characters and `…`. */
export function preview(text: string): string {
  const clean = text.slice(0, 61).replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 60 ? `${clean.slice(0, 60)}…` : clean;
}

/**
 * The deepest nesting of arrays and objects lmm reads in a JSON line. No command or fact
 * needs more than 3; a value nested thousands deep would parse, but could not be written
 * back (JSON.stringify recurses), so such a line is refused as input.
 */
export const MAX_JSON_DEPTH = 256;

/** The message for a line nested deeper than MAX_JSON_DEPTH. */
export function tooDeep(): string {
  return `JSON nested more than ${MAX_JSON_DEPTH} levels deep (lmm reads at most ${MAX_JSON_DEPTH})`;
}

/** The deepest nesting of `[` and `{` in a JSON text (brackets inside strings do not count). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}
