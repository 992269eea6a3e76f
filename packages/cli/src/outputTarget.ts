import { fstatSync, lstatSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { userPath } from './paths.js';
import { UsageError } from './usageError.js';

/**
 * Where an output goes, as `OutputFile` writes it:
 * - `stdout`: the process's standard output (`-`, or a name of it such as `/dev/stdout`);
 * - `special`: a file that is not a regular file (a FIFO, `/dev/null`, a terminal,
 *   `/dev/fd/N` of a process substitution), written in place through `path`;
 * - `regular`: a regular file, new or existing, written atomically: `path` is the file
 *   itself with every symbolic link on the way followed (the link stays, its target is
 *   replaced), `existing` its current status when there is one.
 */
export type OutputTarget =
  | { readonly kind: 'stdout'; readonly stat: Stats | undefined }
  | { readonly kind: 'special'; readonly path: string; readonly stat: Stats }
  | { readonly kind: 'regular'; readonly path: string; readonly existing: Stats | undefined };

/** Symbolic links followed at most (Linux's own limit, ELOOP). */
const MAX_LINKS = 40;

/**
 * What the output `file` (as the user named it, relative to their directory) is. Refuses,
 * as UsageErrors: an empty name, a directory, and an existing regular file that its mode
 * bits make read-only to this user — as root too, where `cp` would refuse it as a normal
 * user (the bits are the file owner's word; access(2) grants root everything).
 */
export function outputTarget(file: string): OutputTarget {
  if (file === '') throw new UsageError('an empty output file name: name a file, or - for standard output');
  if (file === '-') return { kind: 'stdout', stat: stdoutStat() };
  const named = userPath(file);
  const st = statOrUndefined(named);
  // Nothing there yet: the file is created where the name's links lead.
  if (st === undefined) return { kind: 'regular', path: followLinks(file, named), existing: undefined };
  if (st.isDirectory()) throw new UsageError(`${file}: is a directory; name an output file`);
  // Standard output under another name (/dev/stdout, or the file it was redirected to) is written through it.
  const out = stdoutStat();
  if (out !== undefined && sameFile(st, out)) return { kind: 'stdout', stat: out };
  // Opened by the name given: /dev/fd/N and /proc/self/fd/N are links only the kernel can follow.
  if (!st.isFile()) return { kind: 'special', path: named, stat: st };
  if (!writableByMode(st)) {
    const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
    throw new UsageError(`${file}: is read-only (mode ${mode}); lmm does not replace it (make it writable or remove it first)`);
  }
  return { kind: 'regular', path: realpathSync(named), existing: st };
}

/** True when two status records are of one file (same device and inode; for devices, the same device number). */
export function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.rdev === b.rdev;
}

/** The status of standard output, or undefined when it is closed. */
function stdoutStat(): Stats | undefined {
  try {
    return fstatSync(1);
  } catch {
    return undefined;
  }
}

/**
 * `path` with its symbolic links followed, as far as they lead: the file a write through
 * `path` would reach, existing or not (a link to a file not yet there leads to where it
 * would be created). A link's target is taken relative to the directory the link really is
 * in, as the kernel takes it (`..` in it leaves that directory, not the one the name went
 * through). More links than the kernel follows (a loop) are a UsageError naming `file`, as
 * the kernel would refuse to open the name (ELOOP).
 */
function followLinks(file: string, path: string): string {
  let p = path;
  for (let links = 0; ; links++) {
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch {
      return p;
    }
    if (!st.isSymbolicLink()) return p;
    if (links === MAX_LINKS) throw new UsageError(`${file}: too many levels of symbolic links (a loop of links?)`);
    p = resolve(realpathSync(dirname(p)), readlinkSync(p));
  }
}

/** Whether the mode bits let this user write the file: the owner's, group's or others' write bit, whichever class the user is in; for root, any write bit. */
function writableByMode(st: Stats): boolean {
  const uid = process.getuid?.();
  if (uid === undefined) return true;
  if (uid === 0) return (st.mode & 0o222) !== 0;
  if (st.uid === uid) return (st.mode & 0o200) !== 0;
  if (st.gid === process.getgid?.() || (process.getgroups?.() ?? []).includes(st.gid)) return (st.mode & 0o020) !== 0;
  return (st.mode & 0o002) !== 0;
}

/** The status of `path` (following links), or undefined when there is nothing there. */
export function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
