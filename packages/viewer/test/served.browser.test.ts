/**
 * `lmm view --serve` end to end in headless Chromium: the CLI serves the page on 127.0.0.1 and
 * prints its address; the page opens at the peak heap, and every way of moving (a seek, the
 * end button, the keyboard, the slider, the event buttons, the URL's #N) shows the state the
 * core computes for that command, fetched from the server; with --vs both runs and their
 * first divergence; SIGINT and SIGTERM end the server with 130 and 143.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYOUTS, type LoggedFact } from '@lmm/core';
import { LMM_BIN, xorshift, type RunOptions } from '@lmm/testkit';
import { firstDivergence } from '../src/model/divergence.js';
import { expectState, peakHeapCmd, waitFor } from './pageChecks.js';
import { openServed } from './browser.js';
import { CHROMIUM, launch, type TestBrowser } from './chromium.js';
import { encoded, logScenario, syntheticCommands, tempDir, writeLog, type LoggedRun } from './support.js';

const dir = tempDir();
const N = 2000;
const commands = syntheticCommands(N, 200, 5);
const optionsA: RunOptions = { layout: LAYOUTS.lmm64, policy: 'worst-fit', maxPages: null };
const optionsB: RunOptions = { ...optionsA, policy: 'best-fit' };

let browser: TestBrowser;
let a: LoggedRun;
let b: LoggedRun;

/** `lmm view ARGS --serve` running in `dir`, and the address it printed. */
interface Serving {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stderr: () => string;
  /** Ends it with `signal`; resolves with its exit code. */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

async function serve(...args: string[]): Promise<Serving> {
  const child = spawn(process.execPath, [LMM_BIN, 'view', ...args, '--serve'], { cwd: dir, env: { ...process.env, INIT_CWD: undefined }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    void exited.then((code) => reject(new Error(`lmm view --serve exited ${code}: ${err}`)));
  });
  return {
    child,
    url,
    stderr: () => err,
    stop: (signal) => {
      child.kill(signal);
      return exited;
    },
  };
}

beforeAll(async () => {
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
  browser = await launch();
  a = logScenario({ options: optionsA, commands });
  b = logScenario({ options: optionsB, commands });
  writeLog(dir, 'a.jsonl', a);
  writeLog(dir, 'b.jsonl', b);
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('lmm view --serve in Chromium', () => {
  it('serves a page that fetches the state of every command it shows, and ends on SIGTERM with 143', async () => {
    const server = await serve('a.jsonl');
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const { page, problems } = await openServed(browser.context, server.url);
      await expectState(page, a, peakHeapCmd(a));
      // Seeks anywhere: the state the core computes, shown within the time the handle measures.
      const rnd = xorshift(3);
      for (let i = 0; i < 3; i++) {
        const cmd = Math.floor(rnd() * (N + 1));
        const ms = await page.evaluate((c) => window.lmmView!.goto(c), cmd);
        expect(ms).toBeGreaterThanOrEqual(0);
        await expectState(page, a, cmd);
      }
      await page.getByRole('button', { name: 'end ▶|' }).click();
      await waitFor(page, N);
      await expectState(page, a, N);
      await page.keyboard.press('ArrowLeft');
      await waitFor(page, N - 1);
      await expectState(page, a, N - 1);
      await page.keyboard.press('Home');
      await waitFor(page, 0);
      await expectState(page, a, 0);
      await page.getByLabel('timeline').evaluate((el: HTMLInputElement) => {
        el.value = '1234';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await waitFor(page, 1234);
      await expectState(page, a, 1234);
      // The event buttons ask the server.
      await page.locator('select').selectOption('PageRelease');
      await page.getByRole('button', { name: 'event ▶' }).click();
      const next = a.facts.find((f: LoggedFact) => f.cmd > 1234 && f.type === 'PageRelease')!.cmd;
      await waitFor(page, next);
      await expectState(page, a, next);
      await page.getByRole('button', { name: '◀ event' }).click();
      const before = [...a.facts].reverse().find((f: LoggedFact) => f.cmd < next && f.type === 'PageRelease')!.cmd;
      await waitFor(page, before);
      await expectState(page, a, before);
      // The chart comes from the series in buckets: one a command here, the peaks exact.
      const series = await page.evaluate(() => JSON.parse(document.getElementById('lmm-meta')!.textContent!).runs[0].series);
      expect(series).toMatchObject({ commands: N, buckets: N, peakHeap: { cmd: peakHeapCmd(a) } });
      expect(problems).toEqual([]);
      await page.close();
      // The URL's #N opens there.
      const at = await openServed(browser.context, server.url, '#777');
      await expectState(at.page, a, 777);
      expect(at.problems).toEqual([]);
      await at.page.close();
    } finally {
      expect(await server.stop('SIGTERM')).toBe(143);
    }
    expect(server.stderr()).toMatch(/^lmm view: serving a\.jsonl \(2000 commands\); Ctrl-C stops\n/);
  });

  it('--vs serves two runs side by side with their first divergence, and ends on SIGINT with 130', async () => {
    const server = await serve('a.jsonl', '--vs', 'b.jsonl', '--at', '100');
    try {
      const d = firstDivergence(encoded(a), encoded(b))!;
      const { page, problems } = await openServed(browser.context, server.url);
      await expectState(page, a, 100, 0);
      await expectState(page, b, 100, 1);
      await page.getByRole('button', { name: 'first divergence' }).click();
      await waitFor(page, d.cmd);
      await expectState(page, a, d.cmd, 0);
      await expectState(page, b, d.cmd, 1);
      await page.evaluate(() => window.lmmView!.goto(1999));
      await expectState(page, a, 1999, 0);
      await expectState(page, b, 1999, 1);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      expect(await server.stop('SIGINT')).toBe(130);
    }
  });
});
