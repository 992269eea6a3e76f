/** Where a command writes text: standard output or standard error, or a test's capture of them. */
export interface TextOut {
  /** Writes `text` (UTF-8) as it is; a line end is part of `text`. */
  write(text: string): unknown;
}

/**
 * The streams a CLI command reports on: `stdout` for its output (a summary, a picture, JSON,
 * CSV), `stderr` for its one-line errors. `main.ts` passes the process's own; tests pass
 * captures, and so run the commands in process. Output files named `-` (standard output),
 * progress bars and readers' warnings still use the process's streams.
 */
export interface CliIo {
  readonly stdout: TextOut;
  readonly stderr: TextOut;
}
