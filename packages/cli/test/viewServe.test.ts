/**
 * `lmm view --serve` in process: the command is started with a stop signal (`viewCommand`'s
 * `stop`), the test asks the server what a page would ask (node's `fetch` on 127.0.0.1),
 * then stops it. What the command prints, which runs it serves, where the page opens, the
 * port it listens on, and its refusals.
 */
import { createServer, type Server } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inUserDir } from '../src/paths.js';
import { viewCommand } from '../src/viewCommand.js';
import { logText, PARTING, PARTING_AND_D } from './smallLogs.js';

const dir = mkdtempSync(join(tmpdir(), 'lmm-view-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const W = logText('worst-fit', PARTING);
beforeAll(() => {
  writeFileSync(join(dir, 'w.jsonl'), W);
  writeFileSync(join(dir, 'd.jsonl'), logText('best-fit', PARTING_AND_D));
});

/** A `view --serve` running in `dir`: its address, what it printed, and how to stop it. */
interface Serving {
  readonly url: string;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Stops the server; resolves with the command's exit status. */
  stop(): Promise<number>;
}

/** Starts `lmm view ARGS --serve` in process and waits for the address it prints. */
async function serve(...args: string[]): Promise<Serving> {
  let out = '';
  let err = '';
  let printed: () => void = () => undefined;
  const addressed = new Promise<void>((resolve) => (printed = resolve));
  const io = { stdout: { write: (t: string) => ((out += t), printed()) }, stderr: { write: (t: string) => (err += t) } };
  const stopper = new AbortController();
  const done = inUserDir(dir, () => viewCommand([...args, '--serve'], io, { stop: stopper.signal }));
  await Promise.race([addressed, done.then((code) => Promise.reject(new Error(`view --serve returned ${code} before serving: ${err}`)))]);
  return {
    url: out.split('\n')[0]!,
    stdout: () => out,
    stderr: () => err,
    stop: () => {
      stopper.abort();
      return done;
    },
  };
}

/**
 * Runs `lmm view ARGS --serve` with a stop signal that has already aborted: a refusal comes
 * back as the error thrown (runCli prints it as `lmm: MESSAGE`, exit 2); a server that
 * starts stops at once (0).
 */
async function serveOnce(...args: string[]): Promise<{ readonly result: number | Error; readonly stdout: string; readonly stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
  const result = await inUserDir(dir, () => viewCommand([...args, '--serve'], io, { stop: AbortSignal.abort() })).catch((e: unknown) => e as Error);
  return { result, stdout, stderr };
}

/** The metadata of a served page (its runs and the command it opens at). */
async function pageMeta(url: string): Promise<{ runs: { name: string; commands: number }[]; opening: number }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  return JSON.parse(/<script type="application\/json" id="lmm-meta">(.*?)<\/script>/s.exec(await res.text())![1]!) as { runs: { name: string; commands: number }[]; opening: number };
}

/** A port nobody listens on now (the system's choice of a free one). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** Listens on 127.0.0.1:`port` (if nothing else already does: either way the port is taken). */
async function occupy(port: number): Promise<Server> {
  const s = createServer();
  await new Promise<void>((resolve) => s.once('error', () => resolve()).listen(port, '127.0.0.1', resolve));
  return s;
}

describe('lmm view --serve', () => {
  it('prints its address on stdout and what it serves on stderr; answers the page and one run’s states; stops with 0', async () => {
    const s = await serve('w.jsonl');
    expect(s.stdout()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\n$/);
    expect(s.stderr()).toBe('lmm view: serving w.jsonl (5 commands); Ctrl-C stops\n');
    const meta = await pageMeta(s.url);
    expect(meta.runs.map((r) => [r.name, r.commands])).toEqual([['w.jsonl', 5]]);
    // By default the page opens at the heap's peak: command 2, when page 1 was requested.
    expect(meta.opening).toBe(2);
    expect((await fetch(`${s.url}state?run=0&cmd=5`)).status).toBe(200);
    expect((await fetch(`${s.url}state?run=1&cmd=5`)).status).toBe(400); // one run only
    expect(await s.stop()).toBe(0);
    await expect(fetch(s.url)).rejects.toThrow(); // no longer listening
  });

  it('--vs serves both runs; --at N may go up to the longer run’s end; --at peak-live is the first run’s', async () => {
    const both = await serve('w.jsonl', '--vs', 'd.jsonl', '--at', '6');
    expect(both.stderr()).toBe('lmm view: serving w.jsonl (5 commands) and d.jsonl (6 commands); Ctrl-C stops\n');
    const meta = await pageMeta(both.url);
    expect(meta.runs.map((r) => [r.name, r.commands])).toEqual([['w.jsonl', 5], ['d.jsonl', 6]]);
    expect(meta.opening).toBe(6);
    expect((await fetch(`${both.url}state?run=1&cmd=6`)).status).toBe(200);
    expect(await both.stop()).toBe(0);

    // w's live bytes peak at command 3 (a and b: 200 bytes); d's at command 6 (300 bytes).
    const live = await serve('w.jsonl', '--vs', 'd.jsonl', '--at', 'peak-live');
    expect((await pageMeta(live.url)).opening).toBe(3);
    expect(await live.stop()).toBe(0);
    const heap = await serve('d.jsonl', '--at', 'peak-heap');
    expect((await pageMeta(heap.url)).opening).toBe(2);
    expect(await heap.stop()).toBe(0);
    const three = await serve('d.jsonl', '--at', '3');
    expect((await pageMeta(three.url)).opening).toBe(3);
    expect(await three.stop()).toBe(0);

    const past = await serveOnce('w.jsonl', '--vs', 'd.jsonl', '--at', '7');
    expect(past.result).toMatchObject({ message: 'view: --at 7 is past the end of w.jsonl and d.jsonl (6 commands)' });
    expect(past.stdout).toBe('');
  });

  it('--port N listens on port N; a port in use is refused naming it; ports 1 and 65535 are port numbers, others not', async () => {
    const port = await freePort();
    const s = await serve('w.jsonl', '--port', String(port));
    expect(s.url).toBe(`http://127.0.0.1:${port}/`);
    // The port is now taken: a second server there is refused.
    const again = await serveOnce('w.jsonl', '--port', String(port));
    expect(again.result).toMatchObject({ message: `view: cannot listen on 127.0.0.1:${port} (the port is in use)` });
    expect(await s.stop()).toBe(0);

    // The ends of the range are accepted as ports: with them taken, the refusal is that they are in use.
    for (const edge of [1, 65535]) {
      const held = await occupy(edge);
      try {
        // (As a user other than root, port 1 is not allowed rather than in use: a port number all the same.)
        expect(((await serveOnce('w.jsonl', '--port', String(edge))).result as Error).message).toMatch(new RegExp(`^view: cannot listen on 127\\.0\\.0\\.1:${edge} \\((the port is in use|not allowed)\\)$`));
      } finally {
        await new Promise((resolve) => held.close(resolve));
      }
    }
    for (const bad of ['65536', '123456', 'x1', '1x', '+1', '1.5', '']) {
      expect((await serveOnce('w.jsonl', '--port', bad)).result).toMatchObject({ message: `view: --port: '${bad}' is not a port number (1–65535)` });
    }
  });

  it('a log whose index cannot be written is served with one note; a stale index is rebuilt without a word', async () => {
    mkdirSync(join(dir, 'noidx'));
    writeFileSync(join(dir, 'noidx', 'w.jsonl'), W);
    mkdirSync(join(dir, 'noidx', 'w.jsonl.idx')); // a directory where the index would go
    const s = await serveOnce('noidx/w.jsonl');
    expect(s.result).toBe(0);
    expect(s.stderr).toBe('lmm: note: noidx/w.jsonl.idx: cannot write (is a directory); the index is built in memory for this run only\nlmm view: serving noidx/w.jsonl (5 commands); Ctrl-C stops\n');

    writeFileSync(join(dir, 'stale.jsonl'), logText('best-fit', PARTING_AND_D));
    expect((await serveOnce('stale.jsonl')).result).toBe(0); // writes stale.jsonl.idx
    writeFileSync(join(dir, 'stale.jsonl'), W);
    const rebuilt = await serveOnce('stale.jsonl');
    expect(rebuilt.result).toBe(0);
    expect(rebuilt.stderr).toBe('lmm view: serving stale.jsonl (5 commands); Ctrl-C stops\n');
  });

  it('a log cut off mid-line is served up to its last whole command with a warning; --strict refuses it', async () => {
    writeFileSync(join(dir, 'cut.jsonl'), W.slice(0, -20)); // the 7th line (command 5's fact) loses its end
    const cut = await serveOnce('cut.jsonl');
    expect(cut.result).toBe(0);
    expect(cut.stderr).toBe('lmm: warning: cut.jsonl:7: the last line is cut off; read the log up to command 4\nlmm view: serving cut.jsonl (4 commands); Ctrl-C stops\n');
    const strict = await serveOnce('cut.jsonl', '--strict');
    expect((strict.result as Error).message).toMatch(/^cut\.jsonl:7: the last line is cut off \(fact is not valid JSON\); without --strict/);
    expect(strict.stdout).toBe('');
  });

  it('a request that fails on the server’s side (the log changed under it) is a 500 and one warning line', async () => {
    writeFileSync(join(dir, 'shrinks.jsonl'), W);
    const s = await serve('shrinks.jsonl');
    truncateSync(join(dir, 'shrinks.jsonl'), 200); // the header and part of the first fact remain
    const res = await fetch(`${s.url}state?run=0&cmd=5`);
    expect(res.status).toBe(500);
    expect(await s.stop()).toBe(0);
    expect(s.stderr().split('\n').slice(1)).toEqual(['lmm: warning: view: shrinks.jsonl: the log changed while it was read (it ends before command 5); read it again', '']);
  });
});
