import type { LineChunk, TraceCommand, TraceParser } from '@lmm/replay';

/**
 * Feeds `lines` to an importer's parser cut into chunks of the given line counts (the rest in
 * one last chunk), as `readLines` might deliver them, and returns the commands in order.
 * Does not call `end()`: callers that test the end of a trace call it themselves.
 */
export function parseInChunks(parser: TraceParser, lines: readonly string[], cuts: readonly number[] = []): TraceCommand[] {
  const out: TraceCommand[] = [];
  let at = 0;
  for (const n of [...cuts, lines.length]) {
    const chunk: LineChunk = { first: at + 1, text: lines.slice(at, at + n), unterminated: false };
    out.push(...parser.parse(chunk));
    at += n;
    if (at >= lines.length) break;
  }
  return out;
}
