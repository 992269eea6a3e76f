import type { HeapModel } from '../model/heapModel.js';
import type { HeapHit } from './heapView.js';
import { bytes, int, shown } from './format.js';

/** The lines describing what is under the mouse: page, offset, size, id and state (ids and names well-formed, see `shown`). */
export function describeHit(model: HeapModel, hit: HeapHit): string[] {
  const { pageHeaderSize, metaSize } = model.run.header.layout;
  const { fam, page, block, part } = hit;
  const where = `${shown(fam.name)} · page #${page.id}${page.count > 1 ? ` (run of ${int(page.count)} pages)` : ''}`;
  if (block === undefined) return [where, `page header · ${bytes(pageHeaderSize)} at offset 0`];
  const lines = [where, `offset ${int(block.off)} · meta ${bytes(metaSize)} · data at ${int(block.off + metaSize)}`];
  if (block.id >= 0) {
    lines.push(`state  allocated`, `id     ${shown(model.run.ids.get(block.id))}`, `size   ${bytes(block.size)}`);
    if (block.gap > 0) lines.push(`gap    ${bytes(block.gap)} hard fragmentation${page.count > 1 ? ' (tail of a large run)' : ''}`);
  } else {
    const queue = model.queueOf(fam);
    const pos = queue.findIndex((q) => q.block === block);
    const soft = block.size < fam.size;
    lines.push(`state  free${soft ? ' (soft fragmentation)' : ''}`, `size   ${bytes(block.size)}`);
    if (soft) lines.push(`       smaller than the struct size ${bytes(fam.size)}`);
    lines.push(pos < 0 ? 'queue  not queued' : `queue  ${int(pos + 1)} of ${int(queue.length)}${pos === 0 ? ' (head)' : ''}`);
  }
  const partName = part === 'meta' ? 'meta block' : part === 'gap' ? 'gap bytes' : part === 'header' ? 'page header' : 'data';
  lines.push(`under the pointer: ${partName}`);
  return lines;
}
