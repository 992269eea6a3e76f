import { buildServedPage, buildViewerPage, loadRun, openRunSource, ViewServer, type LoadedRun, type RunSource } from '@lmm/viewer';
import { parseCommandLine } from './commandSpec.js';
import { logReadOptions } from './logOptions.js';
import { atOption, type At } from './atOption.js';
import { OutputFile } from './outputFile.js';
import { userPath } from './paths.js';
import { fileProgress, Progress } from './progress.js';
import { UsageError } from './usageError.js';
import { VIEW_SPEC } from './viewSpec.js';
import { printNote, printWarning, type CliIo } from './cliIo.js';
import { sizeText } from './sizeText.js';

/**
 * The largest log `view -o` makes a self-contained page of, in bytes (256 MiB: about 1.4
 * million commands, a page of about 10 MB). Past it the page would be too big to write and
 * to open; `--serve` shows such a log.
 */
export const MAX_PAGE_LOG_BYTES = 256 * 2 ** 20;

/**
 * `lmm view LOG [--vs B] [--at AT] -o FILE.html` (SPEC §5): writes a self-contained page that draws
 * the heap to scale and steps through the run's commands, opening at AT (`--at`: a command,
 * or the first run's `peak-live` / `peak-heap`; default: its peak heap);
 * with `--vs`, two runs side by side at the same command with their first divergence and
 * the blocks that differ marked. Every fact is folded through the core first: a log that
 * does not fold is an input error and no page is written. On a terminal it shows progress
 * (reading each log, then building the page); when done it prints the page's name and size
 * (on stderr when the page itself went to standard output). A log over `MAX_PAGE_LOG_BYTES`
 * is a usage error pointing to `--serve`.
 *
 * `lmm view LOG [--vs B] [--at AT] --serve [--port N]`: serves the same page from 127.0.0.1
 * (`ViewServer`), which fetches the state of each command it shows; prints its address on
 * standard output and serves until a signal ends the process (exit 130 on SIGINT, 143 on
 * SIGTERM, as every command), or until `options.stop` aborts (a caller in process).
 */
export async function viewCommand(args: string[], io: CliIo, options: ViewCommandOptions = {}): Promise<number> {
  const { values, positionals: [log] } = parseCommandLine(VIEW_SPEC, args);
  const at = atOption(values.at); // a bad --at fails before anything is read
  const files = values.vs === undefined ? [log!] : [log!, values.vs];
  if (values.serve === true) {
    if (values.output !== undefined) throw new UsageError('view: -o and --serve do not go together (a page is either written or served)');
    return serve(io, files, at, portOption(values.port), values.strict === true, options.stop);
  }
  if (values.port !== undefined) throw new UsageError('view: --port goes with --serve');
  if (values.output === undefined) throw new UsageError('view: -o FILE.html is required (where to write the page), or --serve to serve it');
  const started = performance.now();
  // Opened first, so a bad output path fails before the logs are read.
  const out = await OutputFile.open(values.output, { inputs: files });
  const runs: LoadedRun[] = [];
  for (const file of files) {
    const { bar, onProgress } = fileProgress(`lmm view: reading ${file}`);
    const checked = (read: number, total: number): void => {
      // The size is known at the first chunk of a file; a pipe is stopped once it has sent too much.
      if (Math.max(read, total) > MAX_PAGE_LOG_BYTES) throw tooBig(file);
      onProgress(read, total);
    };
    try {
      runs.push(await loadRun(userPath(file), { ...logReadOptions(io, file, values), onProgress: checked }));
    } finally {
      bar.done();
    }
  }
  const opening = openingOf(at, runs[0]!.series, files, Math.max(...runs.map((r) => r.commands)));
  // Shown at once when reading already took long enough for a bar.
  const building = new Progress('lmm view: building the page…', { delayMs: Math.max(0, 1000 - (performance.now() - started)) });
  let html: string;
  try {
    building.stage();
    html = await buildViewerPage(runs, opening === undefined ? {} : { opening });
  } finally {
    building.done();
  }
  out.write(html);
  out.commit();
  const report = out.takesStdout ? io.stderr : io.stdout;
  report.write(`lmm view: wrote ${values.output} (${sizeText(Buffer.byteLength(html))}; ${runs.map((r) => `${r.name}: ${r.commands} commands`).join(', ')})\n`);
  return 0;
}

/** Options of `viewCommand` for a caller in process (the CLI passes none). */
export interface ViewCommandOptions {
  /**
   * Ends `--serve` when it aborts: the server stops listening, the logs are closed and the
   * command returns 0. Without it the server runs until a signal ends the process.
   */
  readonly stop?: AbortSignal;
}

/** The refusal of a log too big for a self-contained page. */
function tooBig(file: string): UsageError {
  return new UsageError(`view: ${file} is over ${MAX_PAGE_LOG_BYTES / 2 ** 20} MiB, too big for a self-contained page (-o); serve it instead: lmm view ${file} --serve`);
}

/** `--port N`: undefined when absent (a free port); a usage error unless 1…65535. */
function portOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535) throw new UsageError(`view: --port: '${value}' is not a port number (1–65535)`);
  return Number(value);
}

/** The command a page opens at: `--at`'s (a peak is the first run's; a number must be in some run), or undefined for the default. */
function openingOf(at: At | undefined, series: { readonly peakLive: { readonly cmd: number }; readonly peakHeap: { readonly cmd: number } }, files: readonly string[], commands: number): number | undefined {
  const opening = typeof at === 'string' ? (at === 'peak-live' ? series.peakLive.cmd : series.peakHeap.cmd) : at;
  if (opening !== undefined && opening > commands) throw new UsageError(`view: --at ${opening} is past the end of ${files.join(' and ')} (${commands} commands)`);
  return opening;
}

/**
 * `view --serve`: reads the logs and serves the page until `stop` aborts (then 0, with the
 * server and the logs closed), or, without `stop`, until a signal ends the process (never returns).
 */
async function serve(io: CliIo, files: readonly string[], at: At | undefined, port: number | undefined, strict: boolean, stop: AbortSignal | undefined): Promise<number> {
  const runs: RunSource[] = [];
  try {
    for (const file of files) {
      const { bar, onProgress } = fileProgress(`lmm view: reading ${file}`);
      try {
        // A regular file is read through its index (LOG.idx), built with a checked fold when missing or stale.
        const onNote = (note: string, kind: 'rebuilt' | 'in-memory'): void => void (kind === 'in-memory' && printNote(io, note));
        runs.push(await openRunSource(userPath(file), { ...logReadOptions(io, file, { strict }), onProgress, onNote }));
      } finally {
        bar.done();
      }
    }
    const first = await runs[0]!.series(1); // its peaks, which bucketing leaves exact
    const opening = openingOf(at, first, files, Math.max(...runs.map((r) => r.commands)));
    const { html } = await buildServedPage(runs, opening === undefined ? {} : { opening });
    let server: ViewServer;
    try {
      server = await ViewServer.start(runs, html, { ...(port === undefined ? {} : { port }), onError: (e) => printWarning(io, `view: ${(e as Error).message}`) });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES') throw new UsageError(`view: cannot listen on 127.0.0.1:${port ?? 0} (${code === 'EADDRINUSE' ? 'the port is in use' : 'not allowed'})`);
      throw e;
    }
    io.stdout.write(`${server.url}\n`);
    io.stderr.write(`lmm view: serving ${runs.map((r) => `${r.name} (${r.commands} commands)`).join(' and ')}; Ctrl-C stops\n`);
    // Without `stop`, served until the process is ended by a signal (the CLI's handler exits 128 + signal).
    await new Promise<void>((resolve) => {
      if (stop?.aborted === true) resolve();
      else stop?.addEventListener('abort', () => resolve(), { once: true });
    });
    await server.close();
    return 0;
  } finally {
    await Promise.all(runs.map((r) => r.close()));
  }
}
