import type { InputError, ReadFactLogOptions } from '@lmm/replay';

/** Prints a reader's warning as one line on stderr: `lmm: warning: FILE:LINE: what`. */
export function printWarning(error: InputError): void {
  process.stderr.write(`lmm: warning: ${error.message.replace(/[\r\n]+/g, ' ')}\n`);
}

/**
 * How to read the fact log `file` (as the user named it) under the parsed `--strict` flag:
 * the options for `readFactLog`, `foldLog`, `ReplayLog.load` (and anything built on them),
 * with `displayName` set for messages and warnings printed by `printWarning`.
 */
export function logReadOptions(file: string, values: { readonly strict?: boolean | undefined }): ReadFactLogOptions & { displayName: string; strict: boolean; onWarning: (error: InputError) => void } {
  return { displayName: file, strict: values.strict === true, onWarning: printWarning };
}
