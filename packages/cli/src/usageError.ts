/** A command line the CLI cannot act on (unknown command, bad option value). Exit 2, one line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
