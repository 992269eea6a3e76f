/** Where a command writes text: standard output or standard error, or a test's capture of them. */
export interface TextOut {
  /** Writes `text` (UTF-8) as it is; a line end is part of `text`. */
  write(text: string): unknown;
  /** True when it is a terminal (the process's stderr on one); absent or false for a pipe, a file or a capture. */
  readonly isTTY?: boolean;
}

/**
 * The streams a CLI command reports on: `stdout` for its output (a summary, a picture, JSON,
 * CSV), `stderr` for its one-line errors, warnings and notes. `main.ts` passes the process's
 * own; tests pass captures, and so run the commands in process and see every line a user
 * sees. Only what is written to a descriptor itself goes around them: an output file named
 * `-` (descriptor 1) and the progress bars of the readers (drawn on a terminal's stderr only).
 */
export interface CliIo {
  readonly stdout: TextOut;
  readonly stderr: TextOut;
}

/** A message as one line (SPEC §5: one line on stderr). */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Writes `lmm: warning: MESSAGE` (a reader's warning, an index that cannot be written) as one line on `io.stderr`. */
export function printWarning(io: CliIo, message: string): void {
  io.stderr.write(`lmm: warning: ${oneLine(message)}\n`);
}

/** Writes `lmm: note: MESSAGE` (about a log's index) as one line on `io.stderr`. */
export function printNote(io: CliIo, message: string): void {
  io.stderr.write(`lmm: note: ${oneLine(message)}\n`);
}
