import type { InputError, ReadFactLogOptions } from '@lmm/replay';
import { printWarning, type CliIo } from './cliIo.js';

/**
 * How to read the fact log `file` (as the user named it) under the parsed `--strict` flag:
 * the options for `readFactLog`, `foldLog`, `ReplayLog.load` (and anything built on them),
 * with `displayName` set for messages, and a reader's warnings printed on `io.stderr`
 * (`lmm: warning: FILE:LINE: what`).
 */
export function logReadOptions(io: CliIo, file: string, values: { readonly strict?: boolean | undefined }): ReadFactLogOptions & { displayName: string; strict: boolean; onWarning: (error: InputError) => void } {
  return { displayName: file, strict: values.strict === true, onWarning: (e) => printWarning(io, e.message) };
}
