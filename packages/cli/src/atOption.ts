import { UsageError } from './usageError.js';

/**
 * Where `--at` points (SPEC §5): a command number (0 … commands), or the first command after
 * which the run's peak live bytes (`peak-live`) or peak heap bytes (`peak-heap`) was reached.
 */
export type At = number | 'peak-live' | 'peak-heap';

/** The `--at` option: undefined when absent; a usage error when neither a command number nor a peak. */
export function atOption(value: string | undefined): At | undefined {
  if (value === undefined) return undefined;
  if (value === 'peak-live' || value === 'peak-heap') return value;
  if (!/^\d{1,15}$/.test(value)) throw new UsageError(`--at: '${value}' is not a command number, peak-live or peak-heap`);
  return Number(value);
}
