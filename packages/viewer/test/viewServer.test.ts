/**
 * The server behind `lmm view --serve`, over HTTP: the state it sends for any command is the
 * core's (`ReplayLog.seek`) as the page decodes it, with that command's facts; the event
 * search finds what a scan of the facts finds; it takes GET (and HEAD) of its own paths
 * only, refuses malformed queries with 400, listens on 127.0.0.1 and answers only requests
 * that name it (Host) and come from its own page.
 */
import { request } from 'node:http';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dumpJson, Engine, initialState, LAYOUTS, type LoggedFact } from '@lmm/core';
import { makeHeader, ReplayLog } from '@lmm/replay';
import { propertyRuns, type RunOptions } from '@lmm/testkit';
import { HeapModel } from '../src/model/heapModel.js';
import { decodeOpeningState, previewRun } from '../src/model/openingState.js';
import type { PageMeta } from '../src/model/pageMeta.js';
import { EVENT_KINDS, eventUrl, stateUrl, type EventAnswer, type EventKind } from '../src/model/servedApi.js';
import { ReplayRunSource } from '../src/serve/replayRunSource.js';
import { SeekableRunSource } from '../src/serve/seekableRunSource.js';
import type { RunSource } from '../src/serve/runSource.js';
import { buildServedPage } from '../src/serve/servedPage.js';
import { ViewServer } from '../src/serve/viewServer.js';
import { servedDivergence } from '../src/serve/servedDivergence.js';
import { firstDivergence } from '../src/model/divergence.js';
import { encoded, logScenario, syntheticCommands, tempDir, writeLog, type LoggedRun } from './support.js';

const N = 1200;
const options: RunOptions = { layout: LAYOUTS.lmm64, policy: 'worst-fit', maxPages: null };
const dir = tempDir();
let run: LoggedRun;
let path: string;
let log: ReplayLog;
let server: ViewServer;
let meta: PageMeta;

/** A response: status, headers, body. */
interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** One HTTP request to the server, with any method and headers (fetch would not let a test set Host). */
function ask(path: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: init.method ?? 'GET', headers: init.headers ?? {} }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The state dump and facts the server sends for `cmd` of run `r`, as the page reads them. */
async function served(cmd: number, r = 0): Promise<{ dump: string; facts: readonly LoggedFact[] }> {
  const res = await ask(stateUrl(r, cmd));
  expect(res.status).toBe(200);
  const state = decodeOpeningState(new Uint8Array(res.body), run.header.layout);
  expect(state.cmd).toBe(cmd);
  const model = new HeapModel(previewRun(meta.runs[0]!, state), state.cmd);
  model.restore(state.snapshot);
  return { dump: JSON.stringify(model.dump()), facts: state.facts };
}

const isEvent = (kind: EventKind, f: LoggedFact): boolean => (kind === 'any' ? f.type === 'PageRequest' || f.type === 'PageRelease' || f.type === 'Rejected' : f.type === kind);

beforeAll(async () => {
  run = logScenario({ options, commands: syntheticCommands(N, 120) });
  path = writeLog(dir, 'run.jsonl', run);
  log = await ReplayLog.load(path);
  // Run 0 folded into memory, run 1 the same log read through its index (LOG.idx, built here).
  const sources: RunSource[] = [await ReplayRunSource.load(path, { displayName: 'run.jsonl' }), await SeekableRunSource.open(path, { displayName: 'run.jsonl' })];
  const page = await buildServedPage(sources);
  meta = page.meta;
  server = await ViewServer.start(sources, page.html);
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('lmm view --serve: the server', () => {
  it('listens on 127.0.0.1 at a free port and serves the page, which may fetch from it only', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await ask('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.body.toString('utf8');
    expect(html).toContain("connect-src 'self'");
    expect(html).not.toContain('lmm-run-0'); // no facts in the page
    expect(meta).toMatchObject({ served: true, runs: [{ name: 'run.jsonl', commands: N, facts: run.facts.length }, { commands: N, facts: run.facts.length }] });
  });

  it('sends the state after any command as ReplayLog.seek has it, with that command’s facts, from memory and through the index alike', async () => {
    const check = async (cmd: number, r: number): Promise<void> => {
      const { dump, facts } = await served(cmd, r);
      expect(dump, `state after ${cmd}`).toBe(dumpJson(log.seek(cmd)));
      expect(facts).toEqual(run.facts.filter((f) => f.cmd === cmd));
    };
    for (const cmd of [0, 1, N, meta.opening]) for (const r of [0, 1]) await check(cmd, r);
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: N }), fc.constantFrom(0, 1), check), { numRuns: propertyRuns(60) });
  });

  it('charts a run through its index as from every command: min and max per bucket, the peaks exact', () => {
    const [mem, idx] = meta.runs.map((r) => r.series);
    // Up to 4096 commands the index keeps one command a bucket, so the two agree exactly.
    for (const key of ['commands', 'buckets', 'heapMax', 'heapMin', 'liveMax', 'liveMin', 'utilMax', 'peakHeap', 'peakLive', 'peakUtilization'] as const) expect(idx![key], key).toEqual(mem![key]);
  });

  it('finds the nearest event of each kind before and after a command, as a scan of the facts does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: N }), fc.constantFrom(...EVENT_KINDS), fc.constantFrom(1 as const, -1 as const), fc.constantFrom(0, 1), async (cmd, kind, dir, r) => {
        const res = await ask(eventUrl(r, cmd, kind, dir));
        expect(res.status).toBe(200);
        const answer = JSON.parse(res.body.toString('utf8')) as EventAnswer;
        const hits = run.facts.filter((f) => isEvent(kind, f) && (dir > 0 ? f.cmd > cmd : f.cmd < cmd)).map((f) => f.cmd);
        const want = hits.length === 0 ? null : dir > 0 ? Math.min(...hits) : Math.max(...hits);
        expect(answer.cmd).toBe(want);
      }),
      { numRuns: propertyRuns(40) },
    );
  });

  it('refuses malformed queries with 400 and unknown paths with 404', async () => {
    const bad = [
      '/state',
      '/state?run=0',
      '/state?cmd=1',
      '/state?run=2&cmd=1',
      '/state?run=00&cmd=1',
      '/state?run=0&cmd=-1',
      '/state?run=0&cmd=1.5',
      '/state?run=0&cmd=1e3',
      '/state?run=0&cmd=0x10',
      `/state?run=0&cmd=${N + 1}`,
      '/state?run=0&cmd=1&cmd=2',
      '/state?run=0&cmd=1&file=/etc/passwd',
      '/?file=run.jsonl',
      '/event?run=0&cmd=1&kind=Allocated&dir=1',
      '/event?run=0&cmd=1&kind=any&dir=0',
      '/event?run=0&cmd=1&kind=any',
    ];
    for (const path of bad) {
      const res = await ask(path);
      expect(res.status, path).toBe(400);
      expect(res.body.toString('utf8')).toMatch(/^lmm view: /);
    }
    for (const path of ['/etc/passwd', '/run.jsonl', '/state/../run.jsonl', '/index.html']) expect((await ask(path)).status, path).toBe(404);
  });

  it('answers GET and HEAD only', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const res = await ask(stateUrl(0, 1), { method });
      expect(res.status, method).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    }
    const head = await ask(stateUrl(0, 1), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('answers only requests that name it and come from its own page', async () => {
    // A rebound DNS name, another site's page, a cross-site fetch: nothing.
    expect((await ask('/', { headers: { Host: 'evil.example:80' } })).status).toBe(403);
    expect((await ask(stateUrl(0, 1), { headers: { Origin: 'http://evil.example' } })).status).toBe(403);
    expect((await ask(stateUrl(0, 1), { headers: { 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(403);
    const own = await ask(stateUrl(0, 1), { headers: { Origin: server.url.slice(0, -1), 'Sec-Fetch-Site': 'same-origin' } });
    expect(own.status).toBe(200);
    expect(own.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('finds where two runs first differ as a self-contained page does', async () => {
    const other = logScenario({ options: { ...options, policy: 'best-fit' }, commands: syntheticCommands(N, 120) });
    const otherPath = writeLog(dir, 'other.jsonl', other);
    const want = firstDivergence(encoded(run), encoded(other));
    expect(want).not.toBeNull();
    // Folded into memory, and read through the indexes (bytes compared first).
    for (const open of [(p: string) => ReplayRunSource.load(p), (p: string) => SeekableRunSource.open(p)]) {
      const sources = await Promise.all([open(path), open(otherPath)]);
      expect(await servedDivergence(sources[0], sources[1])).toEqual(want);
      expect(await servedDivergence(sources[1], sources[0])).toEqual({ ...want, a: want!.b, b: want!.a });
      expect(await servedDivergence(sources[0], sources[0])).toBeNull();
      await Promise.all(sources.map((s) => s.close()));
    }
  });

  it('steps forward through a what-if branch as ReplayLog.seek does (the policy switches after its command)', async () => {
    const at = 700;
    const engine = new Engine(initialState(options));
    const facts: LoggedFact[] = [];
    syntheticCommands(N, 120).forEach((c, i) => {
      for (const f of engine.execute(c)) facts.push({ ...f, seq: facts.length + 1, cmd: i + 1 } as LoggedFact);
      if (i + 1 === at) engine.setPolicy('best-fit');
    });
    const file = writeLog(dir, 'switched.jsonl', { header: makeHeader(options.layout, 'worst-fit', null, { cmd: at, policy: 'best-fit' }), facts });
    const [replay, source] = await Promise.all([ReplayLog.load(file), SeekableRunSource.open(file)]);
    for (const cmd of [650, 699, 700, 701, 900, 10, 705]) expect(dumpJson((await source.stateAt(cmd)).state), `state after ${cmd}`).toBe(dumpJson(replay.seek(cmd)));
    await source.close();
  });
});
