import { buildViewerPage, loadRun, type LoadedRun } from '@lmm/viewer';
import { parseCommandLine } from './commandSpec.js';
import { logReadOptions } from './logOptions.js';
import { atOption } from './atOption.js';
import { OutputFile } from './outputFile.js';
import { userPath } from './paths.js';
import { fileProgress, Progress } from './progress.js';
import { UsageError } from './usageError.js';
import { VIEW_SPEC } from './viewSpec.js';

/**
 * `lmm view LOG [--vs B] [--at AT] -o FILE.html` (SPEC §5): writes a self-contained page that draws
 * the heap to scale and steps through the run's commands, opening at AT (`--at`: a command,
 * or the first run's `peak-live` / `peak-heap`; default: its peak heap);
 * with `--vs`, two runs side by side at the same command with their first divergence and
 * the blocks that differ marked. Every fact is folded through the core first: a log that
 * does not fold is an input error and no page is written. On a terminal it shows progress
 * (reading each log, then building the page); when done it prints the page's name and size
 * (on stderr when the page itself went to standard output).
 */
export async function viewCommand(args: string[]): Promise<number> {
  const { values, positionals: [log] } = parseCommandLine(VIEW_SPEC, args);
  const at = atOption(values.at); // a bad --at fails before anything is read
  if (values.output === undefined) throw new UsageError('view: -o FILE.html is required (where to write the page)');
  const files = values.vs === undefined ? [log!] : [log!, values.vs];
  const started = performance.now();
  // Opened first, so a bad output path fails before the logs are read.
  const out = await OutputFile.open(values.output, { inputs: files });
  const runs: LoadedRun[] = [];
  for (const file of files) {
    const { bar, onProgress } = fileProgress(`lmm view: reading ${file}`);
    try {
      runs.push(await loadRun(userPath(file), { ...logReadOptions(file, values), onProgress }));
    } finally {
      bar.done();
    }
  }
  // A peak is the first run's; a command number must be in some run.
  const opening = typeof at === 'string' ? (at === 'peak-live' ? runs[0]!.series.peakLive.cmd : runs[0]!.series.peakHeap.cmd) : at;
  const commands = Math.max(...runs.map((r) => r.commands));
  if (opening !== undefined && opening > commands) throw new UsageError(`view: --at ${opening} is past the end of ${files.join(' and ')} (${commands} commands)`);
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
  const report = out.takesStdout ? process.stderr : process.stdout;
  report.write(`lmm view: wrote ${values.output} (${sizeText(Buffer.byteLength(html))}; ${runs.map((r) => `${r.name}: ${r.commands} commands`).join(', ')})\n`);
  return 0;
}

/** A size for people: bytes, kB or MB (powers of 1000, one decimal). */
function sizeText(n: number): string {
  if (n < 1000) return `${n} bytes`;
  if (n < 1e6) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1e6).toFixed(1)} MB`;
}
