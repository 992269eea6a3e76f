/**
 * `pnpm lmm` runs packages/cli/bin/lmm.mjs, which runs the CLI from a bundle it rebuilds when
 * a source is newer. The bundle must behave exactly as the TypeScript sources run by tsx:
 * same output, same files, same exit status and error line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'packages/cli/bin/lmm.mjs');
const BUNDLE = join(ROOT, 'packages/cli/node_modules/.cache/lmm/lmm.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'lmm-bundle-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const env = { ...process.env, INIT_CWD: ROOT, LMM_DEBUG: '1' };
const viaBin = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env });
const viaTsx = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'packages/cli/src/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', env });

describe('the bundled CLI (pnpm lmm)', () => {
  it('runs, writes and fails exactly as the sources do, from a bundle that is up to date', () => {
    const trace = join(ROOT, 'scenarios', 'golden-22.jsonl');
    const a = viaBin('run', trace, '--layout', 'lmm64', '--facts', join(tmp, 'a.jsonl'), '--state', join(tmp, 'a.json'));
    const b = viaTsx('run', trace, '--layout', 'lmm64', '--facts', join(tmp, 'b.jsonl'), '--state', join(tmp, 'b.json'));
    // LMM_DEBUG makes a fallback to tsx say so on stderr: there must be none.
    expect(a.stderr).toBe('');
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(readFileSync(join(tmp, 'a.jsonl'), 'utf8')).toBe(readFileSync(join(tmp, 'b.jsonl'), 'utf8'));
    expect(readFileSync(join(tmp, 'a.json'), 'utf8')).toBe(readFileSync(join(tmp, 'b.json'), 'utf8'));
    expect(existsSync(BUNDLE)).toBe(true);
    expect(statSync(BUNDLE).mtimeMs).toBeGreaterThanOrEqual(statSync(join(ROOT, 'packages/core/src/decide.ts')).mtimeMs);

    const view = viaBin('view', join(tmp, 'a.jsonl'), '-o', join(tmp, 'a.html'));
    expect(view.status).toBe(0);
    expect(viaTsx('view', join(tmp, 'a.jsonl'), '-o', join(tmp, 'b.html')).status).toBe(0);
    expect(readFileSync(join(tmp, 'a.html'), 'utf8')).toBe(readFileSync(join(tmp, 'b.html'), 'utf8'));

    writeFileSync(join(tmp, 'bad.jsonl'), '{"op":"alloc"\n');
    const bad = viaBin('run', join(tmp, 'bad.jsonl'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(viaTsx('run', join(tmp, 'bad.jsonl')).stderr);
    expect(bad.stderr).toMatch(/^lmm: .*bad\.jsonl:1: not valid JSON/);
  });
});
