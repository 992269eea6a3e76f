/**
 * The one error every reader raises for input it cannot use: what is wrong, in which file
 * and at which line (1-based; 0 when the whole file is at fault, as for a missing file).
 * The CLI prints it as `lmm: FILE:LINE: message` and exits 2.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    /** The file as the user named it. */
    readonly file: string,
    /** The 1-based line, or 0 for the whole file. */
    readonly line: number,
    /** What is wrong, without the location. */
    readonly reason: string,
  ) {
    super(line > 0 ? `${file}:${line}: ${reason}` : `${file}: ${reason}`);
  }
}
