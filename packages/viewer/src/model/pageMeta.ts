import type { LogHeader } from '@lmm/replay';
import type { Divergence } from './divergence.js';
import type { RunSeries } from './series.js';

/** What the page knows of one run before decoding its facts: shown at once (title, chart, timeline). */
export interface RunMeta {
  /** The file as the user named it. */
  readonly name: string;
  readonly header: LogHeader;
  readonly commands: number;
  readonly facts: number;
  readonly series: RunSeries;
}

/** The page's JSON island: the runs (one, or two with `--vs`) and where they first differ. */
export interface PageMeta {
  readonly format: 'lmm-view';
  readonly version: 1;
  readonly runs: readonly RunMeta[];
  /** With two runs: their first divergence, or null when their facts are equal. */
  readonly divergence: Divergence | null;
  /**
   * The command the page opens at (unless the URL names one): `lmm view --at`'s, by default
   * the first run's `peak-heap` (SPEC §5: the first command after which its peak heap bytes
   * was reached), or its last command when it never took a page.
   */
  readonly opening: number;
  /**
   * A served page (`lmm view --serve`): it carries no facts and no opening state; it asks the
   * server it came from for the state at each command it shows (`servedApi.ts`). Absent on a
   * self-contained page.
   */
  readonly served?: true;
}

/** Element id of the JSON island. */
export const META_ID = 'lmm-meta';
/** Element id of run `i`'s gzipped, base64 payload. */
export const payloadId = (i: number): string => `lmm-run-${i}`;
/** Element id of run `i`'s state at the opening command (a gzipped, base64 OpeningState). */
export const openingStateId = (i: number): string => `lmm-opening-${i}`;
