import { POLICIES } from '@lmm/core';
import type { OptionSpec } from './commandSpec.js';

/** `--layout`, as `run` and `compare` describe it. */
export const LAYOUT_VALUES = 'seed|lmm64|lmm32|P:H:M';

/** The policies, as help writes them: from the core's own list, so a new policy is listed at once. */
export const POLICY_VALUES = POLICIES.join('|');

/** `--at AT` of the commands that read a fact log. */
export const AT_OPTION = {
  type: 'string',
  value: 'AT',
  default: 'the end',
  help: 'the command to look at: a command number (0 = the empty heap before the first command), peak-live or peak-heap (the first command after which the run reached its peak live bytes, or its peak heap bytes)',
} as const satisfies OptionSpec;

/** `--json` of the commands that read a fact log. */
export function jsonOption(what: string): { readonly type: 'boolean'; readonly help: string } {
  return { type: 'boolean', help: `print ${what} as JSON instead of text` };
}

/**
 * `--strict`, taken by every command that reads fact logs: refuse a log whose last line was
 * cut off (a recorder that crashed) instead of reading it up to its last whole command with
 * a warning.
 */
export const STRICT_OPTION = {
  type: 'boolean',
  help: 'refuse a fact log whose last line was cut off (a recorder that stopped mid-line) instead of reading it up to its last whole command with a warning',
} as const satisfies OptionSpec;
