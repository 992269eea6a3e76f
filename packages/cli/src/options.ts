
import { isPolicy, parseLayout, POLICIES, type Layout, type Policy } from '@lmm/core';
import type { FamilyMapping, TraceFormat } from '@lmm/replay';
import { UsageError } from './usageError.js';

/** The layout option (default `seed`). */
export function layoutOption(value: string | undefined): Layout {
  const layout = parseLayout(value ?? 'seed');
  if (typeof layout === 'string') throw new UsageError(`--layout: ${layout}`);
  return layout;
}

/** The policy option (default `worst-fit`). */
export function policyOption(value: string | undefined): Policy {
  const v = value ?? 'worst-fit';
  if (!isPolicy(v)) throw new UsageError(`--policy: unknown policy '${v}' (${POLICIES.join(', ')})`);
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
