/**
 * outputTarget: what an output name is (standard output, a special file written in place, a
 * regular file written atomically), which names are refused, and where symbolic links lead.
 */
import { chmodSync, chownSync, fstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { propertyRuns } from '@lmm/testkit';
import { OutputFile } from '../src/outputFile.js';
import { outputTarget, sameFile } from '../src/outputTarget.js';
import { UsageError } from '../src/usageError.js';

const dir = mkdtempSync(join(tmpdir(), 'lmm-output-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('outputTarget', () => {
  it('an empty name is refused as such (not as the directory it would resolve to)', () => {
    expect(() => outputTarget('')).toThrow(new UsageError('an empty output file name: name a file, or - for standard output'));
  });

  it('a directory is refused before anything is opened, naming it', () => {
    expect(() => outputTarget(dir)).toThrow(new UsageError(`${dir}: is a directory; name an output file`));
  });

  it('names of standard output are standard output (only looked at: nothing is written to it)', () => {
    let stdout: Stats;
    try {
      stdout = fstatSync(1);
    } catch {
      return; // standard output closed: no name leads to it
    }
    for (const name of ['/dev/stdout', '/proc/self/fd/1', '/dev/fd/1']) {
      const target = outputTarget(name);
      expect(target.kind).toBe('stdout');
      expect(target.kind === 'stdout' && target.stat !== undefined && sameFile(target.stat, stdout)).toBe(true);
    }
  });

  it('/dev/null is special (written in place); a new or existing plain file is regular', () => {
    expect(outputTarget('/dev/null').kind).toBe('special');
    const existing = join(dir, 'plain.txt');
    writeFileSync(existing, 'x');
    expect(outputTarget(existing)).toMatchObject({ kind: 'regular', path: existing, existing: { size: 1 } });
    expect(outputTarget(join(dir, 'new.txt'))).toEqual({ kind: 'regular', path: join(dir, 'new.txt'), existing: undefined });
  });

  it('sameFile: one file exactly when device, inode and device number all agree', () => {
    const fields = fc.record({ dev: fc.integer({ min: 0, max: 3 }), ino: fc.integer({ min: 0, max: 3 }), rdev: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fields, fields, (a, b) => {
        expect(sameFile(a as Stats, b as Stats)).toBe(a.dev === b.dev && a.ino === b.ino && a.rdev === b.rdev);
      }),
      { numRuns: propertyRuns(200) },
    );
  });
});

/** The owner (user U, group G) of the files `fileWithMode` makes: a user other than root (root gives its files to one). */
const ROOT = process.getuid?.() === 0;
const U = ROOT ? 1234 : process.getuid!();
const G = ROOT ? 5678 : process.getgid!();

/** Makes `dir/NAME` owned by U:G with mode `mode` and returns its path. */
function fileWithMode(name: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, 'old');
  if (ROOT) chownSync(path, U, G);
  chmodSync(path, mode);
  return path;
}

/** Whether outputTarget accepts `path` as a regular file to replace (false: refused as read-only). */
function accepted(path: string): boolean {
  try {
    return outputTarget(path).kind === 'regular';
  } catch (e) {
    if (e instanceof UsageError && /is read-only/.test(e.message)) return false;
    throw e;
  }
}

/** The process seen as user `uid`, primary group `gid`, supplementary groups `groups` (what `cp` would check). */
function runAs(uid: number, gid: number, groups: number[]): void {
  vi.spyOn(process, 'getuid').mockReturnValue(uid);
  vi.spyOn(process, 'getgid').mockReturnValue(gid);
  vi.spyOn(process, 'getgroups').mockReturnValue(groups);
}

describe('read-only targets, as cp would see them', () => {
  const modeArb = fc.integer({ min: 0, max: 0o777 });

  it('a user may replace a file when the write bit of their class (owner, group, others) is set', () => {
    // Files here belong to U:G; the process is placed in each class in turn.
    let n = 0;
    fc.assert(
      fc.property(modeArb, fc.constantFrom('owner', 'primary group', 'supplementary group', 'others'), (mode, cls) => {
        const path = fileWithMode(`class${++n}`, mode);
        const other = U + 1000;
        if (cls === 'owner') runAs(U, G + 1000, []);
        else if (cls === 'primary group') runAs(other, G, []);
        else if (cls === 'supplementary group') runAs(other, G + 1000, [G + 2000, G]);
        else runAs(other, G + 1000, [G + 2000]);
        const bit = cls === 'owner' ? 0o200 : cls === 'others' ? 0o002 : 0o020;
        expect(accepted(path)).toBe((mode & bit) !== 0);
        vi.restoreAllMocks();
        rmSync(path);
      }),
      { numRuns: propertyRuns(120) },
    );
  });

  it('root may replace a file when any write bit is set, and is refused one with none', () => {
    let n = 0;
    fc.assert(
      fc.property(modeArb, (mode) => {
        const path = fileWithMode(`root${++n}`, mode);
        runAs(0, 0, [0]);
        expect(accepted(path)).toBe((mode & 0o222) !== 0);
        vi.restoreAllMocks();
        rmSync(path);
      }),
      { numRuns: propertyRuns(80) },
    );
  });

  it('examples: 0420 owned by the user is refused to them but not to root; the message names file and mode', () => {
    const path = fileWithMode('group-writable', 0o420);
    runAs(U, G, [G]);
    expect(() => outputTarget(path)).toThrow(new UsageError(`${path}: is read-only (mode 0420); lmm does not replace it (make it writable or remove it first)`));
    runAs(0, 0, [0]);
    expect(outputTarget(path).kind).toBe('regular');
  });
});

/** A chain of `n` links in `at` (link1 → link2 → … → linkN → `end`); returns link1. */
function chain(at: string, n: number, end: string): string {
  mkdirSync(at);
  for (let i = 1; i <= n; i++) symlinkSync(i === n ? end : `link${i + 1}`, join(at, `link${i}`));
  return join(at, 'link1');
}

describe('symbolic links', () => {
  it('a chain of links is followed as far as the kernel follows one (40): 40 reach the file, 41 are refused', async () => {
    // Linux follows at most 40 links in one name (ELOOP beyond): statSync shows the same limit.
    const ok = chain(join(dir, 'chain40'), 40, 'target.txt');
    const tooLong = chain(join(dir, 'chain41'), 41, 'target.txt');
    writeFileSync(join(dir, 'chain40', 'target.txt'), 'old');
    writeFileSync(join(dir, 'chain41', 'target.txt'), 'old');
    expect(() => statSync(ok)).not.toThrow();
    expect(() => statSync(tooLong)).toThrow(/ELOOP/);

    const out = await OutputFile.open(ok);
    out.line('new');
    out.commit();
    expect(readFileSync(join(dir, 'chain40', 'target.txt'), 'utf8')).toBe('new\n');
    expect(() => outputTarget(tooLong)).toThrow(new UsageError(`${tooLong}: too many levels of symbolic links (a loop of links?)`));
    expect(readFileSync(join(dir, 'chain41', 'target.txt'), 'utf8')).toBe('old');
  });

  it('the same for a chain to a file not yet there: 40 links create it, 41 are refused', async () => {
    const ok = chain(join(dir, 'new40'), 40, 'made.txt');
    const out = await OutputFile.open(ok);
    out.line('made');
    out.commit();
    expect(readFileSync(join(dir, 'new40', 'made.txt'), 'utf8')).toBe('made\n');
    const tooLong = chain(join(dir, 'new41'), 41, 'made.txt');
    expect(() => outputTarget(tooLong)).toThrow(/too many levels of symbolic links/);
  });

  it('a loop of links is refused and stays a loop (not replaced by a regular file)', async () => {
    const loop = join(dir, 'loop');
    mkdirSync(loop);
    symlinkSync('b', join(loop, 'a'));
    symlinkSync('a', join(loop, 'b'));
    await expect(OutputFile.open(join(loop, 'a'))).rejects.toThrow(UsageError);
    expect(() => statSync(join(loop, 'a'))).toThrow(/ELOOP/);
  });

  it('a dangling link whose target climbs out (..) of a linked directory creates the file where the kernel would', async () => {
    // tree: out → sub/link; sub → real/deep (a directory link); real/deep/link → ../made.txt.
    // The kernel takes `..` from real/deep, the directory the link is in: real/made.txt.
    for (const root of ['lmm', 'kernel']) {
      mkdirSync(join(dir, root, 'real', 'deep'), { recursive: true });
      symlinkSync(join(dir, root, 'real', 'deep'), join(dir, root, 'sub'));
      symlinkSync('../made.txt', join(dir, root, 'real', 'deep', 'link'));
      symlinkSync('sub/link', join(dir, root, 'out'));
    }
    writeFileSync(join(dir, 'kernel', 'out'), 'x\n');
    expect(readFileSync(join(dir, 'kernel', 'real', 'made.txt'), 'utf8')).toBe('x\n');

    const out = await OutputFile.open(join(dir, 'lmm', 'out'));
    out.line('x');
    out.commit();
    expect(readFileSync(join(dir, 'lmm', 'real', 'made.txt'), 'utf8')).toBe('x\n');
    expect(() => statSync(join(dir, 'lmm', 'made.txt'))).toThrow(/ENOENT/);
  });
});
