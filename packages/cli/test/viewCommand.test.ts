/** `lmm view` from the command line, in process: what a user sees when the input or the arguments are wrong. */
import { existsSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYOUTS } from '@lmm/core';
import { factLine, headerLine, makeHeader } from '@lmm/replay';
import { runCommands, type LmmResult } from '@lmm/testkit';
import { lmmInProcess } from './lmmInProcess.js';

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
