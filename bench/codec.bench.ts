// The state codec (core/src/stateCodec.ts) on a generated heap of LMM_BENCH_LIVE (default
// 100k) live blocks: encode (from the engine's view and from a snapshot) and decode time,
// bytes per block, and what deflate (node:zlib, level 1 and 6) would save. Prints markdown.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { decodeState, encodeState, Engine, initialState, LAYOUTS } from '@lmm/core';
import { generateCommands } from './genTrace.js';

const LIVE = Number(process.env.LMM_BENCH_LIVE ?? 100_000);
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;

function best(runs: number, f: () => unknown): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

const engine = new Engine(initialState({ layout: LAYOUTS.seed, policy: 'worst-fit' }));
for (const c of generateCommands(LIVE * 3, LIVE)) engine.execute(c);
const view = engine.peek();
const blocks = [...view.families.values()].reduce((n, f) => n + f.blockCount, 0);
const encView = best(5, () => encodeState(engine.peek()));
const state = engine.snapshot();
const bytes = encodeState(state);
const encSnap = best(5, () => encodeState(state));
const dec = best(5, () => decodeState(bytes));
const d1 = deflateRawSync(bytes, { level: 1 });
const d6 = deflateRawSync(bytes, { level: 6 });
const z1 = best(5, () => deflateRawSync(bytes, { level: 1 }));
const z6 = best(3, () => deflateRawSync(bytes, { level: 6 }));
const inf = best(5, () => inflateRawSync(d1));
console.log(`A heap after ${(LIVE * 3).toLocaleString('en')} generated commands (bench/genTrace.ts, seed 42, worst fit, seed layout): ${state.live.size.toLocaleString('en')} live ids, ${blocks.toLocaleString('en')} blocks, ${state.pagesInUse.toLocaleString('en')} pages. Best of 5.\n`);
console.log('| step | time | bytes | bytes per block |');
console.log('|---|---|---|---|');
console.log(`| encodeState (engine view) | ${ms(encView)} | ${bytes.length.toLocaleString('en')} | ${(bytes.length / blocks).toFixed(2)} |`);
console.log(`| encodeState (snapshot) | ${ms(encSnap)} | | |`);
console.log(`| decodeState | ${ms(dec)} | | |`);
console.log(`| deflate level 1 | ${ms(z1)} | ${d1.length.toLocaleString('en')} | ${(d1.length / blocks).toFixed(2)} |`);
console.log(`| deflate level 6 | ${ms(z6)} | ${d6.length.toLocaleString('en')} | ${(d6.length / blocks).toFixed(2)} |`);
console.log(`| inflate (level 1) | ${ms(inf)} | | |`);
