import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeOpeningState } from '../model/openingState.js';
import { isEventKind, SERVED_PATHS } from '../model/servedApi.js';
import { findEvent } from './eventSearch.js';
import { pageStateOf } from './pageState.js';
import type { RunSource } from './runSource.js';

/** Options of `ViewServer.start`. */
export interface ViewServerOptions {
  /** The address to listen on (default 127.0.0.1: this machine only). */
  readonly host?: string;
  /** The port (default 0: a free one). */
  readonly port?: number;
  /** How long an event search may take before it answers how far it got (default 3000 ms). */
  readonly eventBudgetMs?: number;
  /** Told of each request that failed on the server's side (default: nothing). */
  readonly onError?: (error: unknown) => void;
}

/** An answer: status, content type and body. */
interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string | Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

const text = (status: number, body: string, headers?: Record<string, string>): Answer => ({ status, type: 'text/plain; charset=utf-8', body: `${body}\n`, ...(headers ? { headers } : {}) });
const json = (value: unknown): Answer => ({ status: 200, type: 'application/json', body: JSON.stringify(value) });

/** A request the server refuses: its status and why. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The server behind `lmm view --serve`: serves one page and answers its seeks (`servedApi.ts`)
 * from the runs' sources (`RunSource`). Safe to leave running on a shared machine: it listens
 * on the loopback address by default; answers only requests whose Host header names the address it is bound
 * to (a page elsewhere that a rebound DNS name points here gets nothing) and that no other
 * site sent (Origin, Sec-Fetch-Site); sends no CORS headers; takes GET (and HEAD) of its own
 * few paths only, with a run's number and command numbers — never a file name. Each run's
 * requests are answered one at a time, in order.
 */
export class ViewServer {
  private readonly queues: Promise<unknown>[];

  private constructor(
    private readonly server: Server,
    /** The page's address, as printed: `http://127.0.0.1:PORT/`. */
    readonly url: string,
    /** The Host header requests must carry. */
    private readonly host: string,
    private readonly runs: readonly RunSource[],
    private readonly page: string,
    private readonly options: ViewServerOptions,
  ) {
    this.queues = runs.map(() => Promise.resolve());
  }

  /** Starts serving `page` (a served page's HTML) and the runs' states; resolves once it listens. */
  static async start(runs: readonly RunSource[], page: string, options: ViewServerOptions = {}): Promise<ViewServer> {
    if (runs.length < 1 || runs.length > 2) throw new RangeError(`the viewer serves one or two runs, not ${runs.length}`);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { address, port } = server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
    const view = new ViewServer(server, `http://${host}/`, host, runs, page, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void view.handle(req, res));
    return view;
  }

  /** Stops listening and closes open connections. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let answer: Answer;
    try {
      answer = await this.answer(req);
    } catch (e) {
      if (e instanceof Refusal) answer = text(e.status, e.message, e.status === 405 ? { Allow: 'GET, HEAD' } : undefined);
      else {
        this.options.onError?.(e);
        answer = text(500, `lmm view: ${(e as Error).message}`);
      }
    }
    const body = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body;
    res.writeHead(answer.status, {
      'Content-Type': answer.type,
      'Content-Length': String(body.length),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
      ...answer.headers,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** What to answer `req` (a Refusal for a request it does not take). */
  private async answer(req: IncomingMessage): Promise<Answer> {
    if (req.headers.host !== this.host) throw new Refusal(403, `lmm view: this server answers only ${this.url} (Host: ${this.host})`);
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    if ((site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && origin !== this.url.slice(0, -1))) {
      throw new Refusal(403, 'lmm view: requests from other sites are not answered');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new Refusal(405, `lmm view: ${req.method} is not answered (GET only)`);
    const target = req.url ?? '';
    if (!target.startsWith('/')) throw new Refusal(400, 'lmm view: a path is expected');
    const url = new URL(target, this.url);
    const query = url.searchParams;
    switch (url.pathname) {
      case SERVED_PATHS.page:
        expectParams(query, []);
        return { status: 200, type: 'text/html; charset=utf-8', body: this.page, headers: { 'Content-Security-Policy': "frame-ancestors 'none'" } };
      case SERVED_PATHS.state: {
        expectParams(query, ['run', 'cmd']);
        const run = this.runParam(query);
        const cmd = commandParam(query, 'cmd', this.runs[run]!.commands);
        return { status: 200, type: 'application/octet-stream', body: await this.inTurn(run, () => this.stateBytes(run, cmd)) };
      }
      case SERVED_PATHS.event: {
        expectParams(query, ['run', 'cmd', 'kind', 'dir']);
        const run = this.runParam(query);
        const cmd = commandParam(query, 'cmd', this.runs[run]!.commands);
        const kind = query.get('kind')!;
        if (!isEventKind(kind)) throw new Refusal(400, `lmm view: no event kind ${JSON.stringify(kind)}`);
        const dir = query.get('dir');
        if (dir !== '1' && dir !== '-1') throw new Refusal(400, 'lmm view: dir is 1 or -1');
        const budgetMs = this.options.eventBudgetMs ?? 3000;
        return json(await this.inTurn(run, () => findEvent(this.runs[run]!, cmd, kind, dir === '1' ? 1 : -1, { budgetMs })));
      }
      default:
        throw new Refusal(404, `lmm view: nothing at ${url.pathname}`);
    }
  }

  private runParam(query: URLSearchParams): number {
    const run = query.get('run');
    if (run === null || !/^[0-9]$/.test(run) || Number(run) >= this.runs.length) throw new Refusal(400, `lmm view: run is 0${this.runs.length > 1 ? ' or 1' : ''}`);
    return Number(run);
  }

  /** Runs `work` after the run's requests before it (one state in memory per run, and its cursor kept moving forward). */
  private inTurn<T>(run: number, work: () => Promise<T>): Promise<T> {
    const next = this.queues[run]!.then(work);
    this.queues[run] = next.catch(() => undefined);
    return next;
  }

  /** Run `run`'s state after `cmd`, with the facts of `cmd`, as the page decodes it. */
  private async stateBytes(run: number, cmd: number): Promise<Uint8Array> {
    const source = this.runs[run]!;
    const { state, facts, factCount } = await source.stateAt(cmd);
    return encodeOpeningState(pageStateOf(state, cmd, facts, factCount), source.header.layout);
  }
}

/** Refuses a query with other parameters than `names`, or one of them missing or repeated. */
function expectParams(query: URLSearchParams, names: readonly string[]): void {
  const keys = [...query.keys()];
  const extra = keys.find((k) => !names.includes(k));
  if (extra !== undefined) throw new Refusal(400, `lmm view: no parameter ${JSON.stringify(extra)} here`);
  for (const n of names) if (query.getAll(n).length !== 1) throw new Refusal(400, `lmm view: ${n} is expected once`);
}

/** A command number parameter: digits, 0…max. */
function commandParam(query: URLSearchParams, name: string, max: number): number {
  const s = query.get(name)!;
  if (!/^[0-9]{1,15}$/.test(s) || Number(s) > max) throw new Refusal(400, `lmm view: ${name} is a command number, 0…${max}`);
  return Number(s);
}
