// Loaded into a process (`node --expose-gc -r ./bench/heapSampler.cjs packages/cli/bin/lmm.js run T`):
// every LMM_SAMPLE_MS milliseconds (default 3000) it prints a line on stderr with the
// process's RSS, then forces a full garbage collection and prints what is left — the
// JavaScript heap in use and the array buffers: what the process keeps, apart from the
// garbage V8 lets wait. Without --expose-gc it prints RSS only. MB are 10^6 bytes.
const every = Number(process.env.LMM_SAMPLE_MS || 3000);
const t0 = Date.now();
const mb = (n) => (n / 1e6).toFixed(0).padStart(4);
const sample = () => {
  const before = process.memoryUsage().rss;
  if (typeof global.gc === 'function') global.gc();
  const m = process.memoryUsage();
  const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`heap-sample ${s} s  rss ${mb(before)} MB  after gc: rss ${mb(m.rss)}  heapUsed ${mb(m.heapUsed)}  arrayBuffers ${mb(m.arrayBuffers)}\n`);
};
setInterval(sample, every).unref();
