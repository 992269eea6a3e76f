import { gzipSync } from 'node:zlib';
import { pageScript, pageStyle } from './bundle.js';
import { firstDivergence } from '../model/divergence.js';
import { decodeRun } from '../model/decodeRun.js';
import { encodeEndState, endStateOf } from '../model/endState.js';
import type { LoadedRun } from './loadRun.js';
import type { PageMeta } from '../model/pageMeta.js';
import { pageHtml } from './pageHtml.js';

/**
 * The viewer page for one run, or two runs side by side (`--vs`) with their first
 * divergence: one self-contained HTML document (script, style and data inline; no network).
 */
export async function buildViewerPage(runs: readonly LoadedRun[]): Promise<string> {
  if (runs.length < 1 || runs.length > 2) throw new RangeError(`the viewer shows one or two runs, not ${runs.length}`);
  const decoded = runs.map((r) => decodeRun(r.payload));
  const divergence = decoded.length === 2 ? firstDivergence(decoded[0]!, decoded[1]!) : null;
  // Each run's last state, so the page draws it before it has decoded anything.
  const endStates = decoded.map((run) => gzipSync(encodeEndState(endStateOf(run), run.header.layout)).toString('base64'));
  const meta: PageMeta = {
    format: 'lmm-view',
    version: 1,
    runs: runs.map((r) => ({ name: r.name, header: r.header, commands: r.commands, facts: r.facts, series: r.series })),
    divergence,
  };
  const payloads = runs.map((r) => gzipSync(r.payload).toString('base64'));
  const [script, css] = await Promise.all([pageScript(), pageStyle()]);
  return pageHtml({ meta, payloads, endStates, script, css });
}
