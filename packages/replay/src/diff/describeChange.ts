import { layoutName, type BlockDump, type QueueDump } from '@lmm/core';
import type { StateChange } from './stateChange.js';

const block = (b: BlockDump) => (b.free ? `free ${b.size} B` : `${JSON.stringify(b.id ?? '')} ${b.size} B${b.gap > 0 ? ` +${b.gap} gap` : ''}`);
const entry = (e: QueueDump) => `${e.page}:${e.offset}=${e.size}`;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * One change record as a line of text for people, a→b: e.g.
 * `a_t page 1 @96: "a2" 24 B → free 24 B` or `b_t queue: + 2:420=3628 after 1:96=24`.
 */
export function describeChange(c: StateChange): string {
  switch (c.kind) {
    case 'setting':
      if (c.field === 'layout') return `layout: ${layoutName(c.a)} → ${layoutName(c.b)}`;
      if (c.field === 'policy') return `policy: ${c.a} → ${c.b}`;
      return `page limit: ${c.a ?? 'none'} → ${c.b ?? 'none'}`;
    case 'family-added':
      return `+ family ${c.family} (${c.b.size} B): ${plural(c.b.pages.length, 'page')}, ${plural(c.b.pages.reduce((n, p) => n + p.blocks.length, 0), 'block')}`;
    case 'family-removed':
      return `- family ${c.family} (${c.a.size} B): ${plural(c.a.pages.length, 'page')}, ${plural(c.a.pages.reduce((n, p) => n + p.blocks.length, 0), 'block')}`;
    case 'family-size':
      return `${c.family}: struct size ${c.a} → ${c.b} B`;
    case 'family-order':
      return `family order: ${c.a.join(' ')} → ${c.b.join(' ')}`;
    case 'page-added':
      return `${c.family} + page ${c.page}${c.b.count > 1 ? ` (${c.b.count} pages)` : ''}: ${c.b.blocks.map((b) => `@${b.offset} ${block(b)}`).join(', ')}`;
    case 'page-removed':
      return `${c.family} - page ${c.page}${c.a.count > 1 ? ` (${c.a.count} pages)` : ''}: ${c.a.blocks.map((b) => `@${b.offset} ${block(b)}`).join(', ')}`;
    case 'page-count':
      return `${c.family} page ${c.page}: ${c.a} → ${c.b} pages`;
    case 'block-added':
      return `${c.family} page ${c.page} + @${c.offset}: ${block(c.b)}`;
    case 'block-removed':
      return `${c.family} page ${c.page} - @${c.offset}: ${block(c.a)}`;
    case 'block-changed':
      return `${c.family} page ${c.page} @${c.offset}: ${block(c.a)} → ${block(c.b)}`;
    case 'queue-removed':
      return `${c.family} queue: - ${entry(c.entry)}`;
    case 'queue-added':
      return `${c.family} queue: + ${entry(c.entry)} ${c.after === null ? 'at the head' : `after ${entry(c.after)}`}`;
    case 'queue-moved':
      return `${c.family} queue: ${entry(c.entry)} moved ${c.after === null ? 'to the head' : `after ${entry(c.after)}`}`;
    default: {
      const never: never = c;
      return JSON.stringify(never);
    }
  }
}
