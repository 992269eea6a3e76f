import { dumpJson, layoutName, type BlockState, type HeapState, type PageState } from '@lmm/core';
import { parseCommandLine } from './commandSpec.js';
import { stateAt } from './logAt.js';
import { SHOW_SPEC } from './showSpec.js';
import { atOption } from './atOption.js';
import type { CliIo } from './cliIo.js';

/**
 * `lmm show LOG [--at AT] [--json]` (SPEC §5): the state after command AT (a number,
 * `peak-live` or `peak-heap`; default: the end), as a picture or a state dump. A log that is
 * a file is read through its index (one checkpoint, and the commands after it); one read
 * from a pipe is folded as it comes.
 */
export async function showCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals: [log] } = parseCommandLine(SHOW_SPEC, args);
  const at = atOption(values.at);
  const folded = await stateAt(io, 'show', log!, at, values.strict === true);
  const where = at === undefined ? `after command ${folded.commands} (the end)` : typeof at === 'string' ? `after command ${folded.commands} (${at})` : `after command ${at}`;
  io.stdout.write(values.json ? `${dumpJson(folded.state)}\n` : `${log}: ${where}\n${heapPicture(folded.state)}\n`);
  return 0;
}

const PAGE_BAR = 64;

/** A page run to scale, one character per `count·pageSize / 64` bytes: `#` allocated data, `.` free, `:` meta blocks, page header and gaps. */
export function pageBar(page: PageState, state: HeapState): string {
  const { pageSize, pageHeaderSize, metaSize } = state.layout;
  const bytes = page.count * pageSize;
  const cell = bytes / PAGE_BAR;
  const blocks = [...page.blocks.values()];
  let bi = 0;
  let out = '';
  for (let i = 0; i < PAGE_BAR; i++) {
    // What is at the middle byte of the cell.
    const at = (i + 0.5) * cell;
    while (bi < blocks.length - 1 && at >= blocks[bi + 1]!.offset) bi++;
    const b = blocks[bi];
    if (b === undefined || at < pageHeaderSize || at < b.offset + metaSize) out += ':';
    else if (at < b.offset + metaSize + b.size) out += b.free ? '.' : '#';
    else out += ':';
  }
  return out;
}

function blockLine(b: BlockState): string {
  const state = b.free ? 'free' : 'allocated';
  const id = b.id === null ? '' : `  ${JSON.stringify(b.id)}`;
  const gap = b.gap > 0 ? `  +${b.gap} B gap` : '';
  return `      ${String(b.offset).padStart(7)}  ${String(b.size).padStart(8)}  ${state.padEnd(9)}${id}${gap}`.trimEnd();
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The heap as text for people: a line on the heap, then each family with its pages (newest
 * first) drawn to scale and listed block by block (offset, size, state, id, gap), then its
 * free queue in order (`page:offset=size`, head first).
 */
export function heapPicture(state: HeapState): string {
  const { pageSize } = state.layout;
  const lines = [
    `layout ${layoutName(state.layout)}, ${state.policy}${state.maxPages === null ? '' : `, at most ${plural(state.maxPages, 'page')}`}: ` +
      `${plural(state.pagesInUse, 'page')} in use (${state.pagesInUse * pageSize} bytes), ${state.liveBytes} bytes allocated in ${plural(state.live.size, 'block')}`,
  ];
  if (state.families.size === 0) lines.push('no families registered');
  for (const fam of state.families.values()) {
    const allocated = fam.blockCount - fam.freeCount;
    lines.push('');
    lines.push(
      `family ${fam.name} (${fam.size} B structs): ${plural(fam.pageCount, 'page')}, ${plural(fam.blockCount, 'block')} ` +
        `(${allocated} allocated, ${fam.freeCount} free), ${fam.liveBytes} B allocated, ${fam.freeBytes} B free`,
    );
    for (const [, page] of fam.pages.entriesReversed()) {
      lines.push(`  page ${page.page}${page.count > 1 ? ` (${page.count} pages)` : ''}  [${pageBar(page, state)}]`);
      lines.push(`      ${'offset'.padStart(7)}  ${'size'.padStart(8)}  state`);
      for (const b of page.blocks.values()) lines.push(blockLine(b));
    }
    const queue = [...fam.queue.values()].map((q) => `${q.page}:${q.offset}=${q.size}`);
    lines.push(`  free queue${queue.length === 0 ? ': empty' : ` (${queue.length}): ${queue.join(' ')}`}`);
  }
  return lines.join('\n');
}
