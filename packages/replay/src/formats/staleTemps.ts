import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The temporary file beside `path` that this process writes before renaming it over `path`
 * (`.BASE.PID.tmp`): an output appears whole or not at all.
 */
export function tempPathOf(dir: string, base: string): string {
  return join(dir, `.${base}.${process.pid}.tmp`);
}

/**
 * Removes the `.BASE.PID.tmp` files in `dir` that processes killed before they could rename
 * them left behind (the PID no longer running; this process's own and other users' running
 * processes are left alone). A directory that cannot be read is left for the caller's open
 * to report.
 */
export function removeStaleTemps(dir: string, base: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const prefix = `.${base}.`;
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = name.slice(prefix.length, -'.tmp'.length);
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid || isRunning(Number(pid))) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      /* gone already, or not ours to remove */
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
