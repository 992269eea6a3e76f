import type { LoggedFact } from '@lmm/core';
import { bytes, int, shown } from './format.js';

/** One fact as a line of text for the command's fact list (never markup; ids and names well-formed, see `shown`). */
export function describeFact(f: LoggedFact): string {
  return shown(describe(f));
}

function describe(f: LoggedFact): string {
  switch (f.type) {
    case 'Registered':
      return `${f.family} · struct ${bytes(f.size)}`;
    case 'PageRequest':
      return `${f.family} · page #${f.page}${f.count > 1 ? ` ×${int(f.count)} pages` : ''}`;
    case 'PageRelease':
      return `${f.family} · page #${f.page}${f.count > 1 ? ` ×${int(f.count)} pages` : ''}`;
    case 'Allocated':
      return `${f.id}${f.from !== undefined && f.from !== f.id ? ` (from ${f.from})` : ''} · ${f.family} · page #${f.page} @${int(f.offset)} · ${bytes(f.size)} = ${int(f.units)} unit${f.units === 1 ? '' : 's'} · frag ${f.frag}${f.gap > 0 ? ` · gap ${bytes(f.gap)}` : ''}${f.realloc ? ' · realloc' : ''}`;
    case 'Freed':
      return `${f.id} · ${f.family} · page #${f.page} @${int(f.offset)} · ${bytes(f.size)} → free block @${int(f.merged.offset)} of ${bytes(f.merged.size)}${f.realloc ? ' · realloc' : ''}`;
    case 'Rejected': {
      const cmd = JSON.stringify(f.command) ?? String(f.command);
      return `${f.code} · ${f.message} · ${cmd.length > 160 ? `${cmd.slice(0, 160)}…` : cmd}`;
    }
    default: {
      const never: never = f;
      return JSON.stringify(never);
    }
  }
}
