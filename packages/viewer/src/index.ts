/**
 * @lmm/viewer — `lmm view`: a self-contained HTML page that draws a run's heap to scale and
 * steps through time (or two runs side by side). Node side: `loadRun` reads and checks a fact
 * log, `buildViewerPage` writes the page. The page carries the facts in a compact encoding
 * (`FactEncoder` / `decodeRun`) and folds them itself (`HeapModel`, `RunCursor`).
 */
export type { LoadedRun, LoadRunOptions, RunLoaderOptions } from './loadRun';
export { loadRun, RunLoader } from './loadRun';
export { buildViewerPage } from './viewerPage';
export type { RunFacts, RejectionRecord } from './runFacts';
export { KIND, KIND_NAMES } from './runFacts';
export { IdTable } from './idTable';
export { FactEncoder } from './factEncoder';
export { decodeRun } from './decodeRun';
export { factAt } from './factAt';
export type { ModelBlock, ModelPage, ModelFamily, ModelSnapshot } from './heapModel';
export { HeapModel, blockIndex } from './heapModel';
export { modelStats } from './modelStats';
export type { RunCursorOptions } from './runCursor';
export { RunCursor } from './runCursor';
export type { RunSeries, PeakAt } from './series';
export { SeriesBuilder, DEFAULT_BUCKETS, bucketStart, bucketOf } from './series';
export type { Divergence, ComparedFact } from './divergence';
export { firstDivergence } from './divergence';
export type { PageMeta, RunMeta } from './pageMeta';
export { META_ID, payloadId, endStateId } from './pageMeta';
export { encodeSnapshot, decodeSnapshot } from './snapshotCodec';
export { scriptJson, inlineScript, pageHtml } from './pageHtml';
export type { PageParts } from './pageHtml';
export { pageScript, pageStyle } from './bundle';
export { ByteReader, ByteWriter } from './bytes';
