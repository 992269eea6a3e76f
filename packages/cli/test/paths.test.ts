/**
 * Where file arguments are relative to (`paths.ts`): the process's directory, INIT_CWD only
 * under `pnpm lmm` in this repository (pnpm's `npm_lifecycle_event` `lmm` and
 * `npm_package_name` `lmm`, INIT_CWD set and not empty), and `inUserDir`'s directory while a
 * command given one runs; `-` is standard input.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inUserDir, userDir, userPath } from '../src/paths.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

/** The environment of `pnpm lmm …` typed in /home/u/traces. */
function underPnpmLmm(): void {
  vi.stubEnv('npm_lifecycle_event', 'lmm');
  vi.stubEnv('npm_package_name', 'lmm');
  vi.stubEnv('INIT_CWD', '/home/u/traces');
}

describe('userDir', () => {
  it('under pnpm lmm: INIT_CWD, the directory the user typed the command in', () => {
    underPnpmLmm();
    expect(userDir()).toBe('/home/u/traces');
    expect(userPath('a.jsonl')).toBe('/home/u/traces/a.jsonl');
    expect(userPath('../b/c.log')).toBe('/home/u/b/c.log');
  });

  it.each([
    ['another script', 'npm_lifecycle_event', 'test'],
    ['no script', 'npm_lifecycle_event', undefined],
    ['another package', 'npm_package_name', '@lmm/cli'],
    ['no package', 'npm_package_name', undefined],
    ['an empty INIT_CWD', 'INIT_CWD', ''],
    ['no INIT_CWD', 'INIT_CWD', undefined],
  ])('%s: the process directory', (_what, name, value) => {
    underPnpmLmm();
    vi.stubEnv(name, value);
    expect(userDir()).toBe(process.cwd());
    expect(userPath('a.jsonl')).toBe(`${process.cwd()}/a.jsonl`);
  });
});

describe('inUserDir', () => {
  it('holds its directory while the run lasts, over INIT_CWD, and restores what was before, also when the run fails', async () => {
    underPnpmLmm();
    const seen: string[] = [];
    const value = await inUserDir('/srv/one', async () => {
      seen.push(userDir());
      await inUserDir('/srv/two', async () => {
        await Promise.resolve();
        seen.push(userPath('x.jsonl'));
      });
      seen.push(userDir());
      return 42;
    });
    expect(value).toBe(42);
    expect(seen).toEqual(['/srv/one', '/srv/two/x.jsonl', '/srv/one']);
    expect(userDir()).toBe('/home/u/traces');
    await expect(inUserDir('/srv/three', () => Promise.reject(new Error('bad trace')))).rejects.toThrow('bad trace');
    expect(userDir()).toBe('/home/u/traces');
  });

  it('without a directory, runs as before: in the directory around it, if any', async () => {
    underPnpmLmm();
    expect(await inUserDir(undefined, () => Promise.resolve(userDir()))).toBe('/home/u/traces');
    expect(await inUserDir('/srv/one', () => inUserDir(undefined, () => Promise.resolve(userPath('t.jsonl'))))).toBe('/srv/one/t.jsonl');
  });
});

describe('userPath', () => {
  it('- is standard input; an absolute path is kept as written; a relative one is resolved and normalised', async () => {
    expect(userPath('-')).toBe('/dev/stdin');
    await inUserDir('/srv/one', async () => {
      expect(userPath('-')).toBe('/dev/stdin');
      expect(userPath('/abs/../t.jsonl')).toBe('/abs/../t.jsonl');
      expect(userPath('./t.jsonl')).toBe('/srv/one/t.jsonl');
      expect(userPath('a/../t.jsonl')).toBe('/srv/one/t.jsonl');
      expect(userPath('-x')).toBe('/srv/one/-x');
    });
  });
});
