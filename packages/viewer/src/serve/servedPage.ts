import { pageScript, pageStyle } from '../node/bundle.js';
import { pageHtml } from '../node/pageHtml.js';
import type { PageMeta } from '../model/pageMeta.js';
import { DEFAULT_BUCKETS } from '../model/series.js';
import type { RunSource } from './runSource.js';
import { servedDivergence } from './servedDivergence.js';

/** Options of `buildServedPage`. */
export interface ServedPageOptions {
  /** The command the page opens at (default: the first run's peak heap, or its last command when it never took a page); the URL's `#N` still wins. */
  readonly opening?: number;
  /** Chart buckets per run (default `DEFAULT_BUCKETS`): min and max per bucket, so no peak is lost however long the run. */
  readonly buckets?: number;
}

/**
 * The page `lmm view --serve` serves for one run, or two side by side: the same script and
 * style as a self-contained page, with the runs' metadata (their series downsampled to
 * `buckets` buckets, and where two runs first differ) but no facts — it asks the server for
 * the state at each command it shows. Its Content-Security-Policy lets it fetch from the
 * server it came from only.
 */
export async function buildServedPage(runs: readonly RunSource[], options: ServedPageOptions = {}): Promise<{ readonly html: string; readonly meta: PageMeta }> {
  if (runs.length < 1 || runs.length > 2) throw new RangeError(`the viewer shows one or two runs, not ${runs.length}`);
  const buckets = options.buckets ?? DEFAULT_BUCKETS;
  const series = await Promise.all(runs.map((r) => r.series(buckets)));
  const divergence = runs.length === 2 ? await servedDivergence(runs[0]!, runs[1]!) : null;
  const { peakHeap } = series[0]!;
  const opening = options.opening ?? (peakHeap.bytes > 0 ? peakHeap.cmd : runs[0]!.commands);
  const meta: PageMeta = {
    format: 'lmm-view',
    version: 1,
    runs: runs.map((r, i) => ({ name: r.name, header: r.header, commands: r.commands, facts: r.facts, series: series[i]! })),
    divergence,
    opening,
    served: true,
  };
  const [script, css] = await Promise.all([pageScript(), pageStyle()]);
  return { html: pageHtml({ meta, payloads: [], openingStates: [], script, css, served: true }), meta };
}
