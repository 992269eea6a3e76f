/**
 * What `lmm compare` writes on the CLI's stderr besides errors, seen in process through the
 * io it is given (`--jobs 1`: the runs in this thread): a trace reader's warning, once per
 * trace as `lmm run` prints it (one line `lmm: warning: …`), and on a terminal a line as each
 * run ends. The warnings cross worker threads too: one check runs the built `lmm` (`pnpm
 * build` first) with `--jobs 2`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { lmmAsync } from '@lmm/testkit';
import type { CliIo } from '../src/cliIo.js';
import { runCli } from '../src/runCli.js';
import { lmmInProcess } from './lmmInProcess.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-compare-stderr-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
});

// malloc-lab traces whose header announces fewer operations than follow: the reader reads the
// announced ones and warns about the rest (SPEC §4). extra1.rep: 2 announced, 1 more on line 7;
// extra2.rep: 1 announced, 2 more from line 6.
writeFileSync(join(tmp, 'extra1.rep'), '20000\n1\n2\n1\na 0 10\nf 0\na 1 10\n');
writeFileSync(join(tmp, 'extra2.rep'), '20000\n2\n1\n1\na 0 10\na 1 20\nf 0\n');
// A trace the reader has nothing to say about: 3 commands, the last a rejected free.
writeFileSync(join(tmp, 'ok.jsonl'), '{"op":"register","family":"a","size":100}\n{"op":"alloc","id":"x","family":"a","units":3}\n{"op":"free","id":"y"}\n');

/** What `lmm ARGS` wrote, run in process on an io whose stderr is a terminal when `tty`. */
async function lmmOn(args: readonly string[], tty: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (t: string) => (stdout += t) }, stderr: { isTTY: tty, write: (t: string) => (stderr += t) } };
  const code = await runCli(args, io, { cwd: tmp });
  return { code, stdout, stderr };
}

describe("lmm compare: a trace reader's warnings", () => {
  it('each printed once per trace, as lmm run prints it, whatever the runs of that trace and the jobs', async () => {
    const run1 = await lmmInProcess(['run', 'extra1.rep'], { cwd: tmp });
    const run2 = await lmmInProcess(['run', 'extra2.rep'], { cwd: tmp });
    // The readers' own words (packages/replay/src/formats/rep.ts): the first line not read, and how many.
    expect(run1.stderr).toBe("lmm: warning: extra1.rep:7: the header announces 2 operations; the line after them is not read (as malloc-lab's mdriver reads only the announced count)\n");
    expect(run2.stderr).toBe("lmm: warning: extra2.rep:6: the header announces 1 operations; the 2 lines after them are not read (as malloc-lab's mdriver reads only the announced count)\n");
    const args = ['compare', 'extra1.rep', 'ok.jsonl', 'extra2.rep', '--families', 'single,pow2', '--json'];
    for (const r of [await lmmOn([...args, '--jobs', '1'], false), await lmmAsync([...args, '--jobs', '2'], { cwd: tmp })]) {
      // 2 families × 4 policies: 8 runs of each .rep, and one warning for each .rep.
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: run1.stderr + run2.stderr });
      // The runs go on: 3 traces × 8 runs, each .rep run of its announced operations only, after
      // the register command of its one family (families single; pow2 maps 10 and 20 bytes to one too).
      const rows = (JSON.parse(r.stdout) as { runs: { trace: string; commands: number }[] }).runs;
      expect(rows.map((x) => `${x.trace} ${x.commands}`)).toEqual([...Array<string>(8).fill('extra1.rep 3'), ...Array<string>(8).fill('ok.jsonl 3'), ...Array<string>(8).fill('extra2.rep 2')]);
    }
  });

  it('a trace named twice is still warned about once; a trace with nothing to say, never', async () => {
    const r = await lmmOn(['compare', 'extra1.rep', 'extra1.rep', '--policies', 'best-fit', '--jobs', '1', '--json'], false);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([expect.stringMatching(/^lmm: warning: extra1\.rep:7: /)]);
    expect(await lmmOn(['compare', 'ok.jsonl', '--jobs', '1', '--json'], false)).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('lmm compare on a terminal', () => {
  it("writes a line on the io's stderr as each run ends: its place, run, commands, peak utilization and the time so far", async () => {
    // A clock that moves 1.5 s with each line written.
    let clock = 10_000;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const lines: string[] = [];
    const io: CliIo = {
      stdout: { write: () => true },
      stderr: {
        isTTY: true,
        write: (t: string) => {
          lines.push(t);
          clock += 1500;
        },
      },
    };
    expect(await runCli(['compare', 'ok.jsonl', 'extra1.rep', '--policies', 'worst-fit,best-fit', '--jobs', '1'], io, { cwd: tmp })).toBe(0);
    // ok.jsonl: 3 × 100 = 300 live bytes in one 4096-byte page, 7.3 %; extra1.rep: its family's
    // register, then one block of 10 bytes in one page, 0.2 %. The reader's warning comes after the runs.
    expect(lines).toEqual([
      'lmm compare: 1/4 ok.jsonl · seed · single · worst-fit: 3 commands, peak utilization 7.3% (0.0 s)\n',
      'lmm compare: 2/4 ok.jsonl · seed · single · best-fit: 3 commands, peak utilization 7.3% (1.5 s)\n',
      'lmm compare: 3/4 extra1.rep · seed · single · worst-fit: 3 commands, peak utilization 0.2% (3.0 s)\n',
      'lmm compare: 4/4 extra1.rep · seed · single · best-fit: 3 commands, peak utilization 0.2% (4.5 s)\n',
      expect.stringMatching(/^lmm: warning: extra1\.rep:7: /),
    ]);
  });

  it('writes no such line when stderr is not a terminal (a pipe, a file, a capture without isTTY)', async () => {
    expect(await lmmOn(['compare', 'ok.jsonl', '--jobs', '1'], false)).toMatchObject({ code: 0, stderr: '' });
    expect(await lmmInProcess(['compare', 'ok.jsonl', '--jobs', '1'], { cwd: tmp })).toMatchObject({ code: 0, stderr: '' });
  });
});
