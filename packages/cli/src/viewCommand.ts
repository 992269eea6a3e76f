import { buildViewerPage, loadRun } from '@lmm/viewer';
import { parseCommandLine } from './commandSpec.js';
import { logReadOptions } from './logOptions.js';
import { OutputFile } from './outputFile.js';
import { userPath } from './paths.js';
import { UsageError } from './usageError.js';
import { VIEW_SPEC } from './viewSpec.js';

/**
 * `lmm view LOG [--vs B] -o FILE.html` (SPEC §5): writes a self-contained page that draws
 * the heap to scale and steps through the run's commands; with `--vs`, two runs side by
 * side at the same command with their first divergence marked. Every fact is folded through
 * the core first: a log that does not fold is an input error and no page is written.
 */
export async function viewCommand(args: string[]): Promise<number> {
  const { values, positionals: [log] } = parseCommandLine(VIEW_SPEC, args);
  if (values.output === undefined) throw new UsageError('view: -o FILE.html is required (where to write the page)');
  const files = values.vs === undefined ? [log!] : [log!, values.vs];
  // Opened first, so a bad output path fails before the logs are read.
  const out = await OutputFile.open(values.output, { inputs: files });
  const runs = [];
  for (const file of files) runs.push(await loadRun(userPath(file), logReadOptions(file, values)));
  const html = await buildViewerPage(runs);
  out.write(html);
  out.commit();
  return 0;
}
