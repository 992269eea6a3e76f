/** `lmm view` from the command line, in process: what a user sees when the input or the arguments are wrong. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYOUTS } from '@lmm/core';
import { factLine, headerLine, makeHeader } from '@lmm/replay';
import { runCommands, type LmmResult } from '@lmm/testkit';
import { lmmInProcess } from './lmmInProcess.js';
import { logText, PARTING, PARTING_AND_D } from './smallLogs.js';

const dir = mkdtempSync(join(tmpdir(), 'lmm-view-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lmm = (...args: string[]): Promise<LmmResult> => lmmInProcess(args, { cwd: dir });

/** The fact log of `commands` run on an empty seed heap under worst-fit, as `lmm run --facts` writes it: a header line, then one line per fact. */
function logOf(commands: readonly unknown[]): string {
  const lines = [headerLine(makeHeader(LAYOUTS.seed, 'worst-fit', null))];
  runCommands({ layout: LAYOUTS.seed, policy: 'worst-fit', maxPages: null }, commands).facts.forEach((facts, i) => {
    for (const f of facts) lines.push(factLine(lines.length, i + 1, f));
  });
  return `${lines.join('\n')}\n`;
}

describe('lmm view on bad input', () => {
  it('a log that does not fold: exit 2, file:line on stderr, no page left behind', async () => {
    const good = logOf([{ op: 'register', family: 'f', size: 8 }, { op: 'alloc', id: 'a', family: 'f' }]);
    const lines = good.trimEnd().split('\n');
    lines.push('{"seq":4,"cmd":3,"type":"PageRelease","family":"f","page":1,"count":1}');
    writeFileSync(join(dir, 'bad.jsonl'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'good.jsonl'), good);
    const res = await lmm('view', 'good.jsonl', '--vs', 'bad.jsonl', '-o', 'out.html');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^lmm: bad\.jsonl:5: command 3: a command cannot begin with a PageRelease fact\n$/);
    expect(readdirSync(dir).filter((f) => f.includes('out.html'))).toEqual([]);
  });

  it('usage errors (no -o, an unknown option, -o with --serve, a bad --port) and a missing file: exit 2 and one line', async () => {
    const cases: [string[], RegExp][] = [
      [['view', 'good.jsonl'], /^lmm: view: -o FILE\.html is required/],
      [['view', 'good.jsonl', '-o', 'x.html', '--bogus'], /^lmm: view: .*bogus/],
      [['view', 'nope.jsonl', '-o', 'x.html'], /^lmm: nope\.jsonl: /],
      [['view', 'good.jsonl', '-o', 'x.html', '--serve'], /^lmm: view: -o and --serve do not go together/],
      [['view', 'good.jsonl', '--serve', '--port', '0'], /^lmm: view: --port: '0' is not a port number \(1–65535\)\n/],
    ];
    for (const [args, message] of cases) {
      const res = await lmm(...args);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toMatch(message);
      expect(res.stderr.split('\n')).toHaveLength(2);
      expect(existsSync(join(dir, 'x.html'))).toBe(false);
    }
  });

  it('a log over 256 MiB is too big for a page: exit 2, pointing to --serve, before it is read', async () => {
    // A sparse file: a log's first lines, then zeros up to just past the limit (nothing is written to disk).
    const big = join(dir, 'big.jsonl');
    writeFileSync(big, logOf([{ op: 'register', family: 'f', size: 8 }]));
    truncateSync(big, 256 * 2 ** 20 + 1);
    const started = performance.now();
    const res = await lmm('view', 'big.jsonl', '-o', 'big.html');
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('lmm: view: big.jsonl is over 256 MiB, too big for a self-contained page (-o); serve it instead: lmm view big.jsonl --serve\n');
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(existsSync(join(dir, 'big.html'))).toBe(false);
    rmSync(big);
  });
});

describe('lmm view -o', () => {
  const meta = (file: string): { runs: { name: string; commands: number }[]; opening: number } =>
    JSON.parse(/<script type="application\/json" id="lmm-meta">(.*?)<\/script>/s.exec(readFileSync(join(dir, file), 'utf8'))![1]!) as { runs: { name: string; commands: number }[]; opening: number };

  it('writes the page and says so on stdout: its name, its size as the file has it, each run’s commands', async () => {
    writeFileSync(join(dir, 'w.jsonl'), logText('worst-fit', PARTING));
    writeFileSync(join(dir, 'd.jsonl'), logText('best-fit', PARTING_AND_D));
    const res = await lmm('view', 'w.jsonl', '--vs', 'd.jsonl', '-o', 'both.html');
    expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' });
    const bytes = statSync(join(dir, 'both.html')).size;
    expect(bytes).toBeGreaterThan(1000); // a page of some kB: the script and the facts
    expect(res.stdout).toBe(`lmm view: wrote both.html (${(bytes / 1000).toFixed(1)} kB; w.jsonl: 5 commands, d.jsonl: 6 commands)\n`);
    expect(meta('both.html').runs.map((r) => [r.name, r.commands])).toEqual([['w.jsonl', 5], ['d.jsonl', 6]]);
  });

  it('opens at --at: a number up to the longer run’s end, the first run’s peaks, by default the peak heap', async () => {
    // w (PARTING): page 1 requested at command 2 (peak heap); 200 live bytes first at command 3. d adds a 6th command.
    const cases: [string[], number][] = [
      [[], 2],
      [['--at', '3'], 3],
      [['--at', '0'], 0],
      [['--at', 'peak-live'], 3],
      [['--at', 'peak-heap'], 2],
      [['--vs', 'd.jsonl', '--at', '6'], 6],
    ];
    for (const [args, opening] of cases) {
      const res = await lmm('view', 'w.jsonl', ...args, '-o', 'at.html');
      expect(res.code, args.join(' ')).toBe(0);
      expect(meta('at.html').opening, args.join(' ')).toBe(opening);
    }
    // d's live peak (command 6, 300 bytes) is not w's: the first run's counts.
    expect((await lmm('view', 'w.jsonl', '--vs', 'd.jsonl', '--at', 'peak-live', '-o', 'at.html')).code).toBe(0);
    expect(meta('at.html').opening).toBe(3);
    const past = await lmm('view', 'w.jsonl', '--vs', 'd.jsonl', '--at', '7', '-o', 'past.html');
    expect(past).toMatchObject({ code: 2, stdout: '', stderr: 'lmm: view: --at 7 is past the end of w.jsonl and d.jsonl (6 commands)\n' });
    expect(existsSync(join(dir, 'past.html'))).toBe(false);
  });

  it('refuses to write the page over one of its logs, and --port without --serve', async () => {
    const before = readFileSync(join(dir, 'd.jsonl'), 'utf8');
    const over = await lmm('view', 'w.jsonl', '--vs', 'd.jsonl', '-o', 'd.jsonl');
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/^lmm: d\.jsonl: is also an input of this command/);
    expect(readFileSync(join(dir, 'd.jsonl'), 'utf8')).toBe(before);
    expect(await lmm('view', 'w.jsonl', '--port', '8080', '-o', 'p.html')).toMatchObject({ code: 2, stderr: 'lmm: view: --port goes with --serve\n' });
    expect(existsSync(join(dir, 'p.html'))).toBe(false);
  });
});
