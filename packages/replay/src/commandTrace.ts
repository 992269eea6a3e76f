import { InputError } from './inputError';
import type { LineChunk } from './lines';

/** A command read from a trace, with the line it came from. `command` is any JSON value: `decide` judges it. */
export interface TraceCommand {
  readonly command: unknown;
  readonly line: number;
}

/**
 * Parses command JSONL lines (SPEC §3): one JSON value per line; blank lines and lines
 * starting with `#` are skipped. A line that is not JSON is an InputError; a JSON value that
 * is not a valid command is passed on for `decide` to reject.
 */
export function parseCommandLines(chunk: LineChunk, file: string): TraceCommand[] {
  const out: TraceCommand[] = [];
  for (let i = 0; i < chunk.text.length; i++) {
    const text = chunk.text[i]!;
    const t = text.trimStart();
    if (t === '' || t.startsWith('#')) continue;
    const line = chunk.first + i;
    let command: unknown;
    try {
      command = JSON.parse(text);
    } catch {
      throw new InputError(file, line, chunk.unterminated ? 'the last line is cut off: not valid JSON' : `not valid JSON: ${preview(text)}`);
    }
    out.push({ command, line });
  }
  return out;
}

/** The start of a line, made printable, for error messages. */
export function preview(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 60 ? `${clean.slice(0, 60)}…` : clean;
}
