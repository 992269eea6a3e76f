
import { isPolicy, parseLayout, type Layout, type Policy } from '@lmm/core';
import type { FamilyMapping, TraceFormat } from '@lmm/replay';
import { UsageError } from './usageError.js';

/**
 * Runs an argument parse (Node's own `util.parseArgs`, strict) and turns its complaints
 * (unknown option, missing value) into a UsageError naming the subcommand.
 */
export function asUsage<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new UsageError(`${command}: ${(e as Error).message}`);
  }
}

/** The layout option (default `seed`). */
export function layoutOption(value: string | undefined): Layout {
  const layout = parseLayout(value ?? 'seed');
  if (typeof layout === 'string') throw new UsageError(`--layout: ${layout}`);
  return layout;
}

/** The policy option (default `worst-fit`). */
export function policyOption(value: string | undefined): Policy {
  const v = value ?? 'worst-fit';
  if (!isPolicy(v)) throw new UsageError(`--policy: unknown policy '${v}' (worst-fit, best-fit, first-fit or address-first-fit)`);
  return v;
}

/** A non-negative integer option, or undefined when absent. */
export function intOption(name: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value) || Number(value) < min) throw new UsageError(`--${name}: '${value}' is not an integer ≥ ${min}`);
  return Number(value);
}

/** The trace format option (default `auto`). */
export function formatOption(value: string | undefined): TraceFormat {
  const v = value ?? 'auto';
  if (v !== 'auto' && v !== 'jsonl' && v !== 'valgrind' && v !== 'rep') throw new UsageError(`--format: unknown format '${v}' (auto, jsonl, valgrind or rep)`);
  return v;
}

/** The family mapping option (default `single`). */
export function familiesOption(value: string | undefined): FamilyMapping {
  const v = value ?? 'single';
  if (v !== 'single' && v !== 'pow2' && v !== 'exact') throw new UsageError(`--families: unknown mapping '${v}' (single, pow2 or exact)`);
  return v;
}

/** Exactly `n` positional arguments, named for the usage message. */
export function positionals(command: string, got: string[], names: readonly string[]): string[] {
  if (got.length !== names.length) throw new UsageError(`${command}: expected ${names.join(' ')}, got ${got.length === 0 ? 'nothing' : got.join(' ')}`);
  return got;
}
