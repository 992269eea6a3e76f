/**
 * What the viewer's browser tests check on a page: the command it shows, and that it shows
 * the state the core computes for that command (its model, its statistics panel, its facts
 * list). Shared by the self-contained page's test and the served page's.
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { dumpJson, statsOf } from '@lmm/core';
import type { ViewerHandle } from '../src/page/app.js';
import { bytes, int } from '../src/page/format.js';
import type { LoggedRun } from './support.js';

// The page's handle, as src/page/main.ts declares it (that file is not part of this program).
declare global {
  interface Window {
    lmmView?: ViewerHandle;
  }
}

/** Generous: a loaded two-core machine can take seconds for what takes milliseconds alone. */
export const WAIT_MS = 60_000;

/** The core's state dump of run `r` after command `cmd`, as JSON. */
export const coreDump = (r: LoggedRun, cmd: number): string => dumpJson(cmd === 0 ? r.run.initial : r.run.states[cmd - 1]!);

/** The command the page shows. */
export const shown = async (page: Page): Promise<number> => Number(await page.evaluate(() => document.body.dataset.cmd));

/** Waits until the page shows command `cmd`. */
export const waitFor = (page: Page, cmd: number) => page.waitForFunction((c) => document.body.dataset.cmd === String(c), cmd, { timeout: WAIT_MS });

/** SPEC `peak-heap`: the first command after which the run's heap bytes were at their peak. */
export function peakHeapCmd(r: LoggedRun): number {
  let best = 0;
  let at = 0;
  r.run.states.forEach((st, i) => {
    if (st.pagesInUse > best) {
      best = st.pagesInUse;
      at = i + 1;
    }
  });
  return at;
}

/** Checks that the page shows run `r`'s state after `cmd` (in its `run`-th panel): its model, its statistics panel and its facts list. */
export async function expectState(page: Page, r: LoggedRun, cmd: number, run = 0): Promise<void> {
  expect(await shown(page)).toBe(cmd);
  expect(await page.evaluate((i) => JSON.stringify(window.lmmView!.dump(i)), run), `state after command ${cmd}`).toBe(coreDump(r, cmd));
  const stats = statsOf(cmd === 0 ? r.run.initial : r.run.states[cmd - 1]!).total;
  const panel = page.locator('section.run').nth(run);
  expect(await panel.locator('dd[data-key="pages"]').textContent()).toBe(`${int(stats.pages)} · ${bytes(stats.heapBytes)}`);
  expect(await panel.locator('dd[data-key="live"]').textContent()).toBe(`${bytes(stats.liveBytes)} in ${int(stats.obc)} blocks`);
  expect(await panel.locator('dd[data-key="page requests"]').textContent()).toBe(`${int(stats.pageRequests)} (${int(stats.avoidableGrowth)} avoidable growth)`);
  const facts = r.facts.filter((f) => f.cmd === cmd);
  expect(await panel.locator('li.fact .ftype').allTextContents()).toEqual(facts.map((f) => f.type));
}
