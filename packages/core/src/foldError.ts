/**
 * Thrown by `evolve` when a fact does not fit the state it is folded into (a fact log that
 * was edited, truncated in the middle or recorded under another layout). Readers add the
 * file and line.
 */
export class FoldError extends Error {
  override readonly name = 'FoldError';
}
