/**
 * A copy of `arr` with `value` inserted at index `i`: of length + 1, in a backing store of
 * `capacity` slots (at least length + 1; V8 keeps the spare slots for in-place growth).
 */
export function withInserted<T>(arr: readonly T[], i: number, value: T, capacity = arr.length + 1): T[] {
  const n = arr.length;
  const out = new Array<T>(capacity);
  for (let k = 0; k < i; k++) out[k] = arr[k]!;
  out[i] = value;
  for (let k = i; k < n; k++) out[k + 1] = arr[k]!;
  if (capacity > n + 1) out.length = n + 1;
  return out;
}

/** Inserts `value` at index `i` in place (no allocation, unlike `splice`; V8 may leave spare capacity). */
export function insertAt<T>(arr: T[], i: number, value: T): void {
  for (let k = arr.length; k > i; k--) arr[k] = arr[k - 1]!;
  arr[i] = value;
}

/** Removes index `i` in place (no allocation, unlike `splice`). */
export function removeAt<T>(arr: T[], i: number): void {
  const last = arr.length - 1;
  for (let k = i; k < last; k++) arr[k] = arr[k + 1]!;
  arr.pop();
}
