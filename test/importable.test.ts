/**
 * The packages as a user imports them: built (dist/, `pnpm build`), resolved through their
 * `exports` without the test's `lmm-source` condition. The examples run with plain node from
 * the repository root; a script outside packages/ imports @lmm/replay; and TypeScript under
 * `module: nodenext` type-checks an import of every package, its .d.ts files included
 * (TS2834/TS2835: an extensionless relative import in a declaration file).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@lmm/testkit';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-importable-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The published packages (testkit is private to the tests). */
const PACKAGES = ['collections', 'core', 'events', 'replay', 'viewer', 'cli'];

/** Runs plain node (no tsx, no export conditions of the tests) on `args` in `cwd`. */
function node(args: readonly string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A directory outside the repository whose node_modules links the built packages, as an installed copy would be found. */
function consumer(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(join(dir, 'node_modules', '@lmm'), { recursive: true });
  for (const p of PACKAGES) symlinkSync(join(REPO_ROOT, 'packages', p), join(dir, 'node_modules', '@lmm', p));
  writeFileSync(join(dir, 'package.json'), '{"type":"module","private":true}\n');
  return dir;
}

describe('the packages, imported', () => {
  it('examples/: one script per package runs with node from the repository root', () => {
    expect(readdirSync(join(REPO_ROOT, 'examples')).sort()).toEqual(['core-reducer.mjs', 'events-stream.mjs', 'replay-seek-diff.mjs']);
    const core = node(['examples/core-reducer.mjs'], REPO_ROOT);
    expect(core.stderr).toBe('');
    expect(core.stdout).toContain('→ Rejected E_NOT_ALLOCATED');
    expect(core.stdout).toContain('"families":[{"name":"emp_t","size":36');
    const events = node(['examples/events-stream.mjs'], REPO_ROOT);
    expect(events.stderr).toBe('');
    expect(events.stdout).toContain('command 6: {"type":"Rejected"');
    expect(events.stdout).toContain('"code":"E_OUT_OF_MEMORY"');
    expect(events.stdout).toContain('9 commands, 11 facts, rejected: {"E_OUT_OF_MEMORY":2}');
    expect(events.stdout).toContain('peak: 8000 live bytes (after command 5) in 8192 heap bytes (after command 4)');
    const replay = node(['examples/replay-seek-diff.mjs'], REPO_ROOT);
    expect(replay.stderr).toBe('');
    expect(replay.stdout).toContain('the runs part at command 6:');
    expect(replay.stdout).toMatch(/the heaps differ in \d+ ways/);
  });

  it('a script outside packages/ imports @lmm/replay (and the rest) from their builds', () => {
    const dir = consumer('script');
    writeFileSync(
      join(dir, 'use.mjs'),
      `const names = ${JSON.stringify(PACKAGES.filter((p) => p !== 'cli'))};
for (const n of names) {
  const m = await import('@lmm/' + n);
  if (Object.keys(m).length === 0) throw new Error('@lmm/' + n + ' exports nothing');
}
const { ReplayLog } = await import('@lmm/replay');
console.log(typeof ReplayLog.load, import.meta.resolve('@lmm/replay'));
`,
    );
    const r = node(['use.mjs'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^function file:.*\/packages\/replay\/dist\/index\.js\n$/);
  });

  it('tsc with module nodenext type-checks an import of every package, declaration files included', () => {
    // Kept between runs (incremental): a second run checks only what changed.
    const dir = join(REPO_ROOT, 'node_modules', '.cache', 'lmm-nodenext-check');
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    mkdirSync(join(dir, 'node_modules', '@lmm'), { recursive: true });
    mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
    for (const p of PACKAGES.filter((p) => p !== 'cli')) symlinkSync(join(REPO_ROOT, 'packages', p), join(dir, 'node_modules', '@lmm', p));
    symlinkSync(join(REPO_ROOT, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module","private":true}\n');
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], incremental: true, tsBuildInfoFile: '.tsbuildinfo' },
        files: ['index.ts'],
      }),
    );
    writeFileSync(
      join(dir, 'index.ts'),
      `import { LAYOUTS, decide, initialState, parseCommand, type HeapState } from '@lmm/core';
import { NumberTree } from '@lmm/collections';
import { heapFacts, ofType } from '@lmm/events';
import { ReplayLog, compareRuns, type LogHeader } from '@lmm/replay';
import { buildViewerPage } from '@lmm/viewer';
const state: HeapState = initialState({ layout: LAYOUTS.seed });
const header: LogHeader | undefined = undefined;
const command = parseCommand({ op: 'register', family: 'f', size: 8 });
export const used = ['op' in command ? decide(state, command) : command, NumberTree, heapFacts, ofType, ReplayLog, compareRuns, buildViewerPage, header];
`,
    );
    const r = node([join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], dir);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
