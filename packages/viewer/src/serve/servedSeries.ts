import type { RunPeak } from '@lmm/events';
import { bucketStart, DEFAULT_BUCKETS, type RunSeries } from '../model/series.js';

/** What a seekable log's index knows of a run's course (`SeekableLog.series`, `.peak`, `.commands`). */
export interface IndexedCourse {
  readonly commands: number;
  /** Commands per bucket, and per bucket min live, max live, min pages, max pages (bucket k: commands k·bucket + 1 … (k + 1)·bucket). */
  readonly series: { readonly bucket: number; readonly values: Float64Array };
  /** The peaks and the first command after which each was reached. */
  readonly peak: RunPeak;
}

/**
 * The page's chart series (`RunSeries`, at most `maxBuckets` buckets over the run) from a
 * seekable log's index, without reading the log: each page bucket takes the min and max over
 * the index buckets it overlaps, so no peak is lost (a peak may be drawn up to one index
 * bucket early or late; the peaks themselves and their commands are the index's, exact).
 * Utilization per bucket is its max live over its max heap (its min: min live over max heap). The index keeps no counts of
 * events, so the event marks come from the page count: a rise where a bucket's max is above
 * the one before, a fall where its min is below, both where it moved within the bucket;
 * rejections and avoidable growth are not marked (the index does not count them). With one
 * command per index bucket (runs up to 4096 commands) the heap, live and page marks are exact.
 */
export function servedSeries(course: IndexedCourse, pageSize: number, maxBuckets = DEFAULT_BUCKETS): RunSeries {
  const n = course.commands;
  const { bucket: size, values } = course.series;
  const sourceCount = values.length / 4;
  const buckets = Math.min(n, maxBuckets);
  const heapMax = new Array<number>(buckets).fill(0);
  const heapMin = new Array<number>(buckets).fill(Infinity);
  const liveMax = new Array<number>(buckets).fill(0);
  const liveMin = new Array<number>(buckets).fill(Infinity);
  const utilMax = new Array<number>(buckets).fill(0);
  const utilMin = new Array<number>(buckets).fill(Infinity);
  const requests = new Array<number>(buckets).fill(0);
  const releases = new Array<number>(buckets).fill(0);
  const rejections = new Array<number>(buckets).fill(0);
  const avoidable = new Array<number>(buckets).fill(0);
  for (let b = 0; b < buckets; b++) {
    const first = Math.floor((bucketStart(b, buckets, n) - 1) / size);
    const last = Math.min(sourceCount - 1, Math.floor((bucketStart(b + 1, buckets, n) - 2) / size));
    for (let k = first; k <= last; k++) {
      const [lMin, lMax, pMin, pMax] = [values[4 * k]!, values[4 * k + 1]!, values[4 * k + 2]!, values[4 * k + 3]!];
      liveMin[b] = Math.min(liveMin[b]!, lMin);
      liveMax[b] = Math.max(liveMax[b]!, lMax);
      heapMin[b] = Math.min(heapMin[b]!, pMin * pageSize);
      heapMax[b] = Math.max(heapMax[b]!, pMax * pageSize);
      const before = k === 0 ? { min: 0, max: 0 } : { min: values[4 * k - 2]!, max: values[4 * k - 1]! };
      const within = pMax > pMin;
      if (pMax > before.max || within) requests[b]!++;
      if (pMin < before.min || within) releases[b]!++;
    }
    utilMax[b] = heapMax[b]! === 0 ? 0 : liveMax[b]! / heapMax[b]!;
    utilMin[b] = heapMax[b]! === 0 ? 0 : liveMin[b]! / heapMax[b]!;
  }
  const { peak } = course;
  const peakHeap = { cmd: peak.heapCmd, bytes: peak.heapBytes };
  const peakLive = { cmd: peak.liveCmd, bytes: peak.liveBytes };
  return {
    commands: n,
    buckets,
    heapMax,
    heapMin,
    liveMax,
    liveMin,
    utilMax,
    utilMin,
    requests,
    releases,
    rejections,
    avoidable,
    avoidableAt: [],
    peakHeap,
    peakLive,
    peakUtilization: peakHeap.bytes === 0 ? 0 : peakLive.bytes / peakHeap.bytes,
  };
}
