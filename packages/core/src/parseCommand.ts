import type { Command } from './command.js';
import type { RejectedFact } from './fact.js';
import type { RejectionCode } from './rejection.js';

/** A family name of SPEC §1: 1–64 printable ASCII characters, no space. */
const FAMILY_NAME = /^[\x21-\x7e]{1,64}$/;

/**
 * Reads any value (a parsed JSON line) as a command of SPEC §1, or rejects it. Does the checks
 * that need no state and come before every check that does, in SPEC order: `E_BAD_COMMAND`
 * (not a JSON object; unknown or non-string `op`; a field of the wrong JSON type — the first
 * wrong one in the order id/family, to, size/units; an empty `id` or `to`) and, for
 * `register`, `E_FAMILY_NAME`. Checks that need no state but follow one that does (a units
 * value that is not an integer ≥ 1 comes after `E_UNKNOWN_FAMILY` and `E_NOT_ALLOCATED`; a
 * family size after `E_FAMILY_EXISTS`) are `decide`'s, so the first failing check of SPEC
 * order still wins.
 *
 * A command is returned as given, not copied: a later rejection by `decide` quotes it with any
 * extra fields it has, as the Rejected fact of SPEC §3 must. Such a field may even be named
 * `type`, so tell a command from a rejection by `'op' in result`.
 */
export function parseCommand(input: unknown): Command | RejectedFact {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return rejected(input, 'E_BAD_COMMAND', 'command is not a JSON object');
  }
  const cmd = input as Record<string, unknown>;
  switch (cmd.op) {
    case 'register': {
      const bad = notString(cmd, 'family') ?? notNumber(cmd, 'size', false);
      if (bad !== undefined) return rejected(cmd, 'E_BAD_COMMAND', `register: ${bad}`);
      const family = cmd.family as string;
      if (!FAMILY_NAME.test(family)) {
        return rejected(cmd, 'E_FAMILY_NAME', `family name ${JSON.stringify(family)} is not 1–64 printable ASCII characters without spaces`);
      }
      return input as Command;
    }
    case 'alloc': {
      const bad = notId(cmd, 'id', false) ?? notString(cmd, 'family') ?? notNumber(cmd, 'units', true);
      return bad === undefined ? (input as Command) : rejected(cmd, 'E_BAD_COMMAND', `alloc: ${bad}`);
    }
    case 'free': {
      const bad = notId(cmd, 'id', false);
      return bad === undefined ? (input as Command) : rejected(cmd, 'E_BAD_COMMAND', `free: ${bad}`);
    }
    case 'realloc': {
      const bad = notId(cmd, 'id', false) ?? notId(cmd, 'to', true) ?? notNumber(cmd, 'units', true);
      return bad === undefined ? (input as Command) : rejected(cmd, 'E_BAD_COMMAND', `realloc: ${bad}`);
    }
    default:
      return rejected(cmd, 'E_BAD_COMMAND', typeof cmd.op === 'string' ? `unknown op '${cmd.op}'` : 'op is not a string');
  }
}

/** A Rejected fact quoting `command` as given. */
export function rejected(command: unknown, code: RejectionCode, message: string): RejectedFact {
  return { type: 'Rejected', command, code, message };
}

/** What is wrong with string field `f` (which must be there), or undefined. */
function notString(cmd: Record<string, unknown>, f: string): string | undefined {
  const v = cmd[f];
  if (typeof v === 'string') return undefined;
  return `${f} is not a string`;
}

/** What is wrong with id field `f` (a non-empty string; absent allowed when `optional`), or undefined. */
function notId(cmd: Record<string, unknown>, f: string, optional: boolean): string | undefined {
  const v = cmd[f];
  if (optional && v === undefined) return undefined;
  if (typeof v !== 'string') return `${f} is not a string`;
  return v === '' ? `${f} is empty` : undefined;
}

/** What is wrong with number field `f` (absent allowed when `optional`), or undefined. */
function notNumber(cmd: Record<string, unknown>, f: string, optional: boolean): string | undefined {
  const v = cmd[f];
  if (typeof v === 'number' || (optional && v === undefined)) return undefined;
  return `${f} is not a number`;
}
