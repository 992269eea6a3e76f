/**
 * The installed command: packages/cli/bin/lmm.js is executable on its own (a shebang and the
 * run bit), runs the built CLI, and resolves file arguments against the directory it runs
 * in — as `npm i -g ./packages/cli` puts it on the PATH; `pnpm lmm` resolves them against
 * the directory pnpm was started in (INIT_CWD).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LMM_BIN, REPO_ROOT } from '@lmm/testkit';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-bin-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The environment of a shell outside pnpm: no INIT_CWD or npm_* variables. */
function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (k !== 'INIT_CWD' && !k.startsWith('npm_') && !k.startsWith('PNPM_')) env[k] = v;
  return { ...env, ...extra };
}

describe('the lmm command', () => {
  it('runs by itself and writes the reference fact log of golden-22', () => {
    accessSync(LMM_BIN, constants.X_OK);
    expect(readFileSync(LMM_BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const reference = join(REPO_ROOT, '..', 'shared', 'reference');
    const r = spawnSync(LMM_BIN, ['run', join(reference, 'golden-22.jsonl'), '--layout', 'lmm64', '--facts', 'g.jsonl'], { cwd: tmp, encoding: 'utf8', env: plainEnv() });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(join(tmp, 'g.jsonl'), 'utf8')).toBe(readFileSync(join(reference, 'golden-22.lmm64.facts.jsonl'), 'utf8'));
  });

  it('npm i -g ./packages/cli puts lmm on the PATH; run from another directory, paths are relative to it', () => {
    const prefix = join(tmp, 'global');
    const install = spawnSync('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', join(REPO_ROOT, 'packages', 'cli')], { encoding: 'utf8', env: plainEnv() });
    expect(install.status, install.stderr).toBe(0);
    const work = join(tmp, 'work', 'sub');
    mkdirSync(work, { recursive: true });
    copyFileSync(join(REPO_ROOT, 'scenarios', 'page-limit.jsonl'), join(work, 'pl.jsonl'));
    const env = plainEnv({ PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}` });
    const run = spawnSync('lmm', ['run', 'pl.jsonl', '--facts', 'pl.facts.jsonl'], { cwd: work, encoding: 'utf8', env });
    expect(run.status, run.stderr).toBe(0);
    const show = spawnSync('lmm', ['stats', 'sub/pl.facts.jsonl', '--json'], { cwd: join(tmp, 'work'), encoding: 'utf8', env });
    expect(show.status, show.stderr).toBe(0);
    expect((JSON.parse(show.stdout) as { peak: { heapBytes: number } }).peak.heapBytes).toBe(8192);
  });

  it('pnpm lmm from a subdirectory resolves paths against that directory (INIT_CWD)', () => {
    const r = spawnSync('pnpm', ['--silent', 'lmm', 'run', 'page-limit.jsonl', '--json'], { cwd: join(REPO_ROOT, 'scenarios'), encoding: 'utf8', env: plainEnv() });
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { rejected: object }).rejected).toEqual({ E_OUT_OF_MEMORY: 2 });
  });

  it('INIT_CWD counts only under the repository’s own pnpm lmm script, not for lmm started by another package’s script', () => {
    const other = join(tmp, 'other');
    mkdirSync(other, { recursive: true });
    copyFileSync(join(REPO_ROOT, 'scenarios', 'double-free.jsonl'), join(tmp, 'df.jsonl'));
    // An npm script of some other package, started from `other`: its cwd is the package root (tmp).
    const r = spawnSync(process.execPath, [LMM_BIN, 'run', 'df.jsonl', '--json'], { cwd: tmp, encoding: 'utf8', env: plainEnv({ INIT_CWD: other, npm_lifecycle_event: 'sim', npm_package_name: 'someone-else' }) });
    expect(r.status, r.stderr).toBe(0);
  });
});
