/**
 * Determinism (SPEC §2 inv. 9): the same trace, layout, policy and page limit give
 * byte-identical fact logs and state dumps — run after run, process after process (no dates,
 * random values or map-order dependence) — and the very bytes recorded in
 * test/fixtures/reliability/determinism.sha256. The trace (determinism.jsonl) has every
 * command kind and rejection code, five families (one named `__proto__`), large blocks and
 * reallocs with and without `to`; it runs under all three policies and, with a page limit,
 * under lmm64. `lmm run` writes those bytes in this process (runCli on the sources, which
 * mutation testing sees) and in processes of its own (the built CLI, process after process).
 *
 * After an intended change of behaviour, rewrite the hashes with
 * `UPDATE_DETERMINISM=1 pnpm exec vitest run test/determinism.test.ts` and say why in the commit.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpJson, Engine, initialState, layoutName, LAYOUTS, REJECTION_CODES, type Fact, type Layout, type Policy } from '@lmm/core';
import { factLine, headerLine, makeHeader, readTrace } from '@lmm/replay';
import { LMM_BIN } from '@lmm/testkit';
import { lmmInProcess } from '../packages/cli/test/lmmInProcess.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'reliability');
const TRACE = join(FIXTURES, 'determinism.jsonl');
const HASHES = join(FIXTURES, 'determinism.sha256');
const tmp = mkdtempSync(join(tmpdir(), 'lmm-determinism-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Case {
  readonly name: string;
  readonly layout: Layout;
  readonly policy: Policy;
  readonly maxPages: number | null;
}

const CASES: readonly Case[] = [
  { name: 'worst-fit', layout: LAYOUTS.seed, policy: 'worst-fit', maxPages: null },
  { name: 'best-fit', layout: LAYOUTS.seed, policy: 'best-fit', maxPages: null },
  { name: 'first-fit', layout: LAYOUTS.seed, policy: 'first-fit', maxPages: null },
  { name: 'lmm64-worst-fit-12-pages', layout: LAYOUTS.lmm64, policy: 'worst-fit', maxPages: 12 },
];

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** The fact log and state dump of a case, made in this process with the same readers and writers `lmm run` uses. */
async function runInProcess(c: Case): Promise<{ log: string; state: string; facts: Fact[] }> {
  const engine = new Engine(initialState({ layout: c.layout, policy: c.policy, maxPages: c.maxPages }));
  const lines = [headerLine(makeHeader(c.layout, c.policy, c.maxPages))];
  const facts: Fact[] = [];
  let cmd = 0;
  for await (const batch of readTrace(TRACE, { layout: c.layout, format: 'jsonl' })) {
    for (const { command } of batch) {
      cmd++;
      for (const f of engine.execute(command)) {
        lines.push(factLine(lines.length, cmd, f));
        facts.push(f);
      }
    }
  }
  return { log: `${lines.join('\n')}\n`, state: `${dumpJson(engine.snapshot())}\n`, facts };
}

/** The arguments of `lmm run` for a case, writing its fact log and state dump to `facts` and `state`. */
function runArgs(c: Case, facts: string, state: string): string[] {
  const args = ['run', TRACE, '--layout', layoutName(c.layout), '--policy', c.policy, '--facts', facts, '--state', state];
  if (c.maxPages !== null) args.push('--max-pages', String(c.maxPages));
  return args;
}

/** `lmm run` of a case in its own process; resolves with the bytes of its fact log and state dump. */
function runCli(c: Case): Promise<{ log: Buffer; state: Buffer }> {
  const facts = join(tmp, `${c.name}.facts.jsonl`);
  const state = join(tmp, `${c.name}.state.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LMM_BIN, ...runArgs(c, facts, state)], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('close', (code) => (code === 0 ? resolve({ log: readFileSync(facts), state: readFileSync(state) }) : reject(new Error(`lmm run exited ${code}`))));
  });
}

/** `lmm run` of a case in this process (runCli on the sources); the bytes of its fact log and state dump, and what it printed. */
async function runCliInProcess(c: Case): Promise<{ log: Buffer; state: Buffer; code: number | null; stderr: string }> {
  const facts = join(tmp, `${c.name}.in-process.facts.jsonl`);
  const state = join(tmp, `${c.name}.in-process.state.json`);
  const r = await lmmInProcess(runArgs(c, facts, state), { cwd: ROOT });
  return { log: readFileSync(facts), state: readFileSync(state), code: r.code, stderr: r.stderr };
}

/** The recorded hashes, `sha256sum` style: `HASH  NAME`. */
function recorded(): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of readFileSync(HASHES, 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
    if (m) map.set(m[2]!, m[1]!);
  }
  return map;
}

describe('determinism', () => {
  it('the fixture trace reaches every rejection code, every kind of fragmentation, reallocs with and without `to`, page releases', async () => {
    const all = (await Promise.all(CASES.map(runInProcess))).flatMap((r) => r.facts);
    const seen = new Set(all.map((f) => (f.type === 'Rejected' ? f.code : f.type === 'Allocated' ? `${f.type}:${f.frag}${f.realloc ? (f.from === f.id ? ':realloc-same' : ':realloc-to') : ''}` : f.type)));
    for (const code of REJECTION_CODES) expect(seen).toContain(code);
    for (const k of ['Registered', 'PageRequest', 'PageRelease', 'Freed', 'Allocated:none', 'Allocated:hard', 'Allocated:soft', 'Allocated:large', 'Allocated:none:realloc-same', 'Allocated:none:realloc-to']) {
      expect(seen, k).toContain(k);
    }
  });

  it('runs in this process are byte-identical, run after run, and match the recorded SHA-256', async () => {
    const hashes = new Map<string, string>();
    for (const c of CASES) {
      const a = await runInProcess(c);
      const b = await runInProcess(c);
      expect(b.log).toBe(a.log);
      expect(b.state).toBe(a.state);
      hashes.set(`${c.name}.facts.jsonl`, sha256(a.log));
      hashes.set(`${c.name}.state.json`, sha256(a.state));
    }
    if (process.env.UPDATE_DETERMINISM) {
      writeFileSync(HASHES, [...hashes].map(([name, h]) => `${h}  ${name}\n`).join(''));
    }
    expect(hashes).toEqual(recorded());
  });

  it('`lmm run` in this process writes exactly the recorded bytes', async () => {
    const expected = recorded();
    for (const c of CASES) {
      const r = await runCliInProcess(c);
      expect(r.code, c.name).toBe(0);
      expect(r.stderr, c.name).toBe('');
      expect(sha256(r.log), c.name).toBe(expected.get(`${c.name}.facts.jsonl`));
      expect(sha256(r.state), c.name).toBe(expected.get(`${c.name}.state.json`));
    }
  });

  it('`lmm run` in separate processes writes exactly the recorded bytes', async () => {
    const expected = recorded();
    const runs = await Promise.all(CASES.map(runCli));
    CASES.forEach((c, i) => {
      expect(sha256(runs[i]!.log), c.name).toBe(expected.get(`${c.name}.facts.jsonl`));
      expect(sha256(runs[i]!.state), c.name).toBe(expected.get(`${c.name}.state.json`));
    });
  }, 60_000);
});
