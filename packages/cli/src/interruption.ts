import { constants as osConstants } from 'node:os';

/** The signals `lmm` stops on, cleaning up first. */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/**
 * What `lmm` says and returns when `signal` stops it: the line on stderr (`lmm: interrupted
 * (SIGINT)`, then `; ` and `aborted`, what became of the unfinished outputs, when that is not
 * empty) and the exit status a shell gives a process killed by the signal, 128 + its number
 * (SIGINT 130, SIGTERM 143, SIGHUP 129).
 */
export function interruption(signal: StopSignal, aborted: string): { readonly line: string; readonly status: number } {
  return { line: `lmm: interrupted (${signal})${aborted === '' ? '' : `; ${aborted}`}\n`, status: 128 + osConstants.signals[signal] };
}
