import { isPolicy, POLICIES, type PolicySwitch } from '@lmm/core';
import { UsageError } from './usageError.js';

/**
 * The `--switch CMD:POLICY` option of `lmm run` (SPEC §5): commands 1…CMD run under
 * `--policy`, the rest under POLICY. CMD is a command number ≥ 0 (0: every command under
 * POLICY); a CMD past the trace's end switches nothing, though the header still says so.
 * Undefined when the option is absent.
 */
export function switchOption(value: string | undefined): PolicySwitch | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{1,15}):(.*)$/.exec(value);
  if (m === null) throw new UsageError(`--switch: '${value}' is not CMD:POLICY (a command number, a colon, a policy)`);
  const policy = m[2]!;
  if (!isPolicy(policy)) throw new UsageError(`--switch: unknown policy '${policy}' (${POLICIES.join(', ')})`);
  return { cmd: Number(m[1]), policy };
}
