/**
 * @lmm/viewer — `lmm view`: a self-contained HTML page that draws a run's heap to scale and
 * steps through time (or two runs side by side). Node side: `loadRun` reads and checks a fact
 * log, `buildViewerPage` writes the page. The page carries the facts in a compact encoding
 * (`FactEncoder` / `decodeRun`) and folds them itself (`HeapModel`, `RunCursor`). `lmm view
 * --serve`: `ViewServer` serves `buildServedPage` and answers its seeks from `RunSource`s
 * (`ReplayRunSource`: a log folded into memory).
 */
export type { LoadedRun, LoadRunOptions } from './node/loadRun.js';
export { loadRun, RunLoader } from './node/loadRun.js';
export type { ViewerPageOptions } from './node/viewerPage.js';
export { buildViewerPage } from './node/viewerPage.js';
export type { RunFacts, RejectionRecord } from './model/runFacts.js';
export { KIND, KIND_NAMES } from './model/runFacts.js';
export { IdTable } from './model/idTable.js';
export { FactEncoder } from './node/factEncoder.js';
export { decodeRun } from './model/decodeRun.js';
export { factAt } from './model/factAt.js';
export type { ModelBlock, ModelPage, ModelFamily, ModelSnapshot } from './model/heapModel.js';
export { HeapModel, blockIndex } from './model/heapModel.js';
export { modelStats } from './model/modelStats.js';
export type { RunCursorOptions } from './model/runCursor.js';
export { RunCursor } from './model/runCursor.js';
export type { RunSeries, PeakAt } from './model/series.js';
export { SeriesBuilder, DEFAULT_BUCKETS, bucketStart, bucketOf } from './model/series.js';
export type { Divergence, ComparedFact } from './model/divergence.js';
export { firstDivergence } from './model/divergence.js';
export type { PageMeta, RunMeta } from './model/pageMeta.js';
export { META_ID, payloadId, openingStateId } from './model/pageMeta.js';
export { encodeSnapshot, decodeSnapshot } from './model/snapshotCodec.js';
export { scriptJson, inlineScript, pageHtml } from './node/pageHtml.js';
export type { PageParts } from './node/pageHtml.js';
export { pageScript, pageStyle } from './node/bundle.js';
export type { RunSource, StateAt, CommandFacts } from './serve/runSource.js';
export { ReplayRunSource } from './serve/replayRunSource.js';
export type { ServedPageOptions } from './serve/servedPage.js';
export { buildServedPage } from './serve/servedPage.js';
export type { ViewServerOptions } from './serve/viewServer.js';
export { ViewServer } from './serve/viewServer.js';
export { pageStateOf } from './serve/pageState.js';
export type { FindEventOptions } from './serve/eventSearch.js';
export { findEvent } from './serve/eventSearch.js';
export { servedDivergence } from './serve/servedDivergence.js';
export type { EventKind, EventAnswer } from './model/servedApi.js';
export { SERVED_PATHS, EVENT_KINDS, isEventKind, stateUrl, eventUrl } from './model/servedApi.js';
export { SeriesTap } from './node/seriesTap.js';
export { decodeOpeningState, encodeOpeningState } from './model/openingState.js';
export type { OpeningState } from './model/openingState.js';
export type { OpenRunSourceOptions } from './serve/openRunSource.js';
export { openRunSource } from './serve/openRunSource.js';
export { SeekableRunSource } from './serve/seekableRunSource.js';
export type { IndexedCourse } from './serve/servedSeries.js';
export { servedSeries } from './serve/servedSeries.js';
