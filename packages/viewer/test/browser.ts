/** The viewer's pages in headless Chromium (launched by ./chromium.ts): opened, watched for problems, looked at. */
import type { BrowserContext, Page } from 'playwright-core';

/** A page with everything that went wrong in it: console errors, uncaught errors, dialogs, requests. */
export interface OpenedPage {
  readonly page: Page;
  readonly problems: string[];
  /** Milliseconds from navigation to the viewer's ready mark. */
  readonly openMs: number;
}

/** Opens a viewer page from disk (file://) and waits until it has drawn its first state. */
export function openViewer(context: BrowserContext, file: string, hash = ''): Promise<OpenedPage> {
  return open(context, `file://${file}${hash}`, 'file://');
}

/** Opens a served viewer page (`lmm view --serve`) at `url` and waits until it has drawn its first state; requests elsewhere are problems. */
export function openServed(context: BrowserContext, url: string, hash = ''): Promise<OpenedPage> {
  return open(context, `${url}${hash}`, url);
}

async function open(context: BrowserContext, url: string, allowed: string): Promise<OpenedPage> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(allowed)) problems.push(`request: ${r.url()}`);
  });
  const t0 = performance.now();
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, null, { timeout: 120_000 });
  const openMs = performance.now() - t0;
  const ready = await page.evaluate(() => document.body.dataset.ready);
  if (ready !== '1') problems.push(`page not ready: ${await page.evaluate(() => document.body.textContent)}`);
  return { page, problems, openMs };
}

/** Pixel statistics of a PNG, computed in a blank page: mean and variance of luminance, and how many distinct colours. */
export async function imageStats(context: BrowserContext, png: Buffer): Promise<{ mean: number; variance: number; colors: number }> {
  const page = await context.newPage();
  try {
    return await page.evaluate(async (src) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, img.width, img.height);
      let sum = 0;
      let sq = 0;
      const colors = new Set<number>();
      const n = data.length / 4;
      for (let i = 0; i < data.length; i += 4) {
        const y = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
        sum += y;
        sq += y * y;
        if (colors.size < 10_000) colors.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      }
      const mean = sum / n;
      return { mean, variance: sq / n - mean * mean, colors: colors.size };
    }, `data:image/png;base64,${png.toString('base64')}`);
  } finally {
    await page.close();
  }
}

/** True when some pixel of a PNG is within a few units of the colour `rgb` (decoded in a blank page). */
export async function hasColor(context: BrowserContext, png: Buffer, rgb: readonly [number, number, number]): Promise<boolean> {
  const page = await context.newPage();
  try {
    return await page.evaluate(
      async ([src, [r, g, b]]) => {
        const img = new Image();
        img.src = src;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const { data } = ctx.getImageData(0, 0, img.width, img.height);
        for (let i = 0; i < data.length; i += 4) {
          if (Math.abs(data[i]! - r) + Math.abs(data[i + 1]! - g) + Math.abs(data[i + 2]! - b) <= 24) return true;
        }
        return false;
      },
      [`data:image/png;base64,${png.toString('base64')}`, rgb] as const,
    );
  } finally {
    await page.close();
  }
}
