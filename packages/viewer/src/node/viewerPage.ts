import { gzipSync } from 'node:zlib';
import { pageScript, pageStyle } from './bundle.js';
import { firstDivergence } from '../model/divergence.js';
import { decodeRun } from '../model/decodeRun.js';
import { encodeOpeningState, openingStateOf } from '../model/openingState.js';
import type { LoadedRun } from './loadRun.js';
import type { PageMeta } from '../model/pageMeta.js';
import { pageHtml } from './pageHtml.js';

/** Options of `buildViewerPage`. */
export interface ViewerPageOptions {
  /** The command the page opens at (`lmm view --at`; default: the first run's peak heap); the URL's `#N` still wins. */
  readonly opening?: number;
}

/**
 * The viewer page for one run, or two runs side by side (`--vs`) with their first
 * divergence: one self-contained HTML document (script, style and data inline; no network).
 * It opens at `options.opening`, by default the first run's peak heap (`PageMeta.opening`).
 */
export async function buildViewerPage(runs: readonly LoadedRun[], options: ViewerPageOptions = {}): Promise<string> {
  if (runs.length < 1 || runs.length > 2) throw new RangeError(`the viewer shows one or two runs, not ${runs.length}`);
  const decoded = runs.map((r) => decodeRun(r.payload));
  const divergence = decoded.length === 2 ? firstDivergence(decoded[0]!, decoded[1]!) : null;
  // The page opens at the first run's peak heap unless told; each run's state there is
  // carried, so the page draws it before it has decoded anything.
  const { peakHeap } = runs[0]!.series;
  const opening = options.opening ?? (peakHeap.bytes > 0 ? peakHeap.cmd : runs[0]!.commands);
  const openingStates = decoded.map((run) => gzipSync(encodeOpeningState(openingStateOf(run, opening), run.header.layout)).toString('base64'));
  const meta: PageMeta = {
    format: 'lmm-view',
    version: 1,
    runs: runs.map((r) => ({ name: r.name, header: r.header, commands: r.commands, facts: r.facts, series: r.series })),
    divergence,
    opening,
  };
  const payloads = runs.map((r) => gzipSync(r.payload).toString('base64'));
  const [script, css] = await Promise.all([pageScript(), pageStyle()]);
  return pageHtml({ meta, payloads, openingStates, script, css });
}
