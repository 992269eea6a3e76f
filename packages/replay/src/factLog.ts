import { checkLayout, isPolicy, REJECTION_CODES, type Fact, type Layout, type LoggedFact, type Policy } from '@lmm/core';
import { InputError } from './inputError';
import { readLines, type ReadLinesOptions } from './lines';

/** The fact log format this build reads and writes. */
export const FACT_LOG_VERSION = 1;

/** The first line of a fact log (SPEC §3): what the run was made with. */
export interface LogHeader {
  readonly format: 'lmm-log';
  readonly version: 1;
  readonly layout: Layout;
  readonly policy: Policy;
  readonly maxPages: number | null;
}

/** Builds a header for a run. */
export function makeHeader(layout: Layout, policy: Policy, maxPages: number | null): LogHeader {
  const { pageSize, pageHeaderSize, metaSize } = layout;
  return { format: 'lmm-log', version: FACT_LOG_VERSION, layout: { pageSize, pageHeaderSize, metaSize }, policy, maxPages };
}

/** The header as its log line (no line end). */
export function headerLine(header: LogHeader): string {
  return JSON.stringify(makeHeader(header.layout, header.policy, header.maxPages));
}

/** One fact as its log line (no line end): `seq` and `cmd` first, then the fact's own fields in order. */
export function factLine(seq: number, cmd: number, fact: Fact): string {
  return `{"seq":${seq},"cmd":${cmd},${JSON.stringify(fact).slice(1)}`;
}

function parseJsonObject(text: string, file: string, line: number, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError(file, line, `${what} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(file, line, `${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** Parses and checks a header line; an InputError says what is wrong (another format or version included). */
export function parseHeader(text: string, file: string, line = 1): LogHeader {
  const h = parseJsonObject(text, file, line, 'fact log header');
  if (h.format !== 'lmm-log') throw new InputError(file, line, 'not an lmm fact log (the header has no "format":"lmm-log")');
  if (h.version !== FACT_LOG_VERSION) throw new InputError(file, line, `fact log version ${JSON.stringify(h.version)} is not supported (this lmm reads version ${FACT_LOG_VERSION})`);
  const l = h.layout as Record<string, unknown> | null;
  if (typeof l !== 'object' || l === null) throw new InputError(file, line, 'header has no layout');
  const layout = checkLayout({ pageSize: l.pageSize as number, pageHeaderSize: l.pageHeaderSize as number, metaSize: l.metaSize as number });
  if (typeof layout === 'string') throw new InputError(file, line, `header layout: ${layout}`);
  if (typeof h.policy !== 'string' || !isPolicy(h.policy)) throw new InputError(file, line, `header policy ${JSON.stringify(h.policy)} is unknown`);
  const mp = h.maxPages;
  if (mp !== null && !(typeof mp === 'number' && Number.isInteger(mp) && mp >= 0)) throw new InputError(file, line, `header maxPages ${JSON.stringify(mp)} is not null or an integer ≥ 0`);
  return makeHeader(layout, h.policy, mp);
}

const FIELDS: Record<Fact['type'], Record<string, 'string' | 'int' | 'merged' | 'frag' | 'code' | 'any' | 'true?' | 'string?'>> = {
  Registered: { family: 'string', size: 'int' },
  PageRequest: { family: 'string', page: 'int', count: 'int' },
  Allocated: { id: 'string', family: 'string', page: 'int', offset: 'int', size: 'int', units: 'int', frag: 'frag', gap: 'int', realloc: 'true?', from: 'string?' },
  Freed: { id: 'string', family: 'string', page: 'int', offset: 'int', size: 'int', merged: 'merged', realloc: 'true?' },
  PageRelease: { family: 'string', page: 'int', count: 'int' },
  Rejected: { command: 'any', code: 'code', message: 'string' },
};

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Parses one fact line and checks its shape: `seq` must be `expectSeq`, `cmd` at least
 * `minCmd`, the type known and every field of the right JSON type.
 */
export function parseFact(text: string, file: string, line: number, expectSeq: number, minCmd: number): LoggedFact {
  const f = parseJsonObject(text, file, line, 'fact');
  if (f.seq !== expectSeq) throw new InputError(file, line, `fact seq ${JSON.stringify(f.seq)}, expected ${expectSeq}`);
  if (!isInt(f.cmd) || f.cmd < minCmd || f.cmd < 1) throw new InputError(file, line, `fact cmd ${JSON.stringify(f.cmd)} is not an integer ≥ ${Math.max(minCmd, 1)}`);
  const type = f.type;
  if (typeof type !== 'string' || !Object.hasOwn(FIELDS, type)) throw new InputError(file, line, `unknown fact type ${JSON.stringify(type)}`);
  for (const [name, kind] of Object.entries(FIELDS[type as Fact['type']])) {
    const v = f[name];
    let ok: boolean;
    switch (kind) {
      case 'string':
        ok = typeof v === 'string';
        break;
      case 'string?':
        ok = v === undefined || typeof v === 'string';
        break;
      case 'true?':
        ok = v === undefined || v === true;
        break;
      case 'int':
        ok = isInt(v);
        break;
      case 'frag':
        ok = v === 'none' || v === 'hard' || v === 'soft' || v === 'large';
        break;
      case 'code':
        ok = typeof v === 'string' && (REJECTION_CODES as readonly string[]).includes(v);
        break;
      case 'merged': {
        const m = v as Record<string, unknown> | null;
        ok = typeof m === 'object' && m !== null && isInt(m.offset) && isInt(m.size);
        break;
      }
      case 'any':
        ok = v !== undefined;
        break;
    }
    if (!ok) throw new InputError(file, line, `${type} fact: field ${name} is ${v === undefined ? 'missing' : `of the wrong type (${JSON.stringify(v)})`}`);
  }
  return f as unknown as LoggedFact;
}

/** A fact with the line it stands on. */
export interface LineFact {
  readonly fact: LoggedFact;
  readonly line: number;
}

/** Options of `readFactLog`. */
export interface ReadFactLogOptions extends ReadLinesOptions {
  /** Refuse a log whose last line was cut off, instead of reading up to its last whole fact. */
  readonly strict?: boolean;
  /** Told when a cut-off last line is skipped (not strict). */
  readonly onWarning?: (error: InputError) => void;
}

/**
 * Streams a fact log: first the header, then batches of facts with their lines, checked for
 * shape and numbering (not yet folded). Blank lines are skipped. A last line cut off mid-fact
 * (no line end, not valid JSON) is skipped with a warning, or refused when `strict`.
 */
export async function* readFactLog(path: string, options: ReadFactLogOptions = {}): AsyncGenerator<LogHeader | LineFact[]> {
  const file = options.displayName ?? path;
  let header: LogHeader | undefined;
  let seq = 1;
  let cmd = 1;
  for await (const chunk of readLines(path, options)) {
    const out: LineFact[] = [];
    for (let i = 0; i < chunk.text.length; i++) {
      const text = chunk.text[i]!;
      const line = chunk.first + i;
      if (header === undefined) {
        if (text.trim() === '') throw new InputError(file, line, 'empty fact log: the header line is missing');
        header = parseHeader(text, file, line);
        yield header;
        continue;
      }
      if (text.trim() === '') continue;
      let fact: LoggedFact;
      try {
        fact = parseFact(text, file, line, seq, cmd);
      } catch (e) {
        if (chunk.unterminated && e instanceof InputError && !options.strict) {
          options.onWarning?.(new InputError(file, line, 'the last line is cut off; read up to the fact before it'));
          break;
        }
        if (chunk.unterminated && e instanceof InputError) throw new InputError(file, line, `the last line is cut off (${e.reason})`);
        throw e;
      }
      seq++;
      cmd = fact.cmd;
      out.push({ fact, line });
    }
    if (out.length > 0) yield out;
  }
  if (header === undefined) throw new InputError(file, 1, 'empty file: expected a fact log header');
}
