/**
 * The installed command: packages/cli/bin/lmm.js is executable on its own (a shebang and the
 * run bit, as `npm i -g` or `pnpm link` installs it) and runs the built CLI.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LMM_BIN, REPO_ROOT } from '@lmm/testkit';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-bin-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the lmm command', () => {
  it('runs by itself and writes the reference fact log of golden-22', () => {
    accessSync(LMM_BIN, constants.X_OK);
    expect(readFileSync(LMM_BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const reference = join(REPO_ROOT, '..', 'shared', 'reference');
    const r = spawnSync(LMM_BIN, ['run', join(reference, 'golden-22.jsonl'), '--layout', 'lmm64', '--facts', 'g.jsonl'], { cwd: tmp, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(join(tmp, 'g.jsonl'), 'utf8')).toBe(readFileSync(join(reference, 'golden-22.lmm64.facts.jsonl'), 'utf8'));
  });
});
