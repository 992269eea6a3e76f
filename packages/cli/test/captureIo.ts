import type { CliIo } from '../src/cliIo.js';

/** An io that keeps what is written on each stream, for calling a command's parts in process. */
export function captureIo(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, out: () => out, err: () => err };
}
