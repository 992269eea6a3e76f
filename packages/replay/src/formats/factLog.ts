import { checkLayout, FACT_FIELDS, FRAGS, isPolicy, MERGED_FIELDS, policyAfter, REJECTION_CODES, type Fact, type FactType, type FieldKind, type Layout, type LoggedFact, type Policy, type PolicySwitch } from '@lmm/core';
import { jsonDepth, MAX_JSON_DEPTH, preview, tooDeep } from './commandTrace.js';
import { commandUnitProblem } from '../log/commandUnit.js';
import { InputError } from './inputError.js';
import { MAX_LINE_BYTES, readLines, type ReadLinesOptions } from './lines.js';

/** The fact log format this build reads and writes. */
export const FACT_LOG_VERSION = 1;

/** The first line of a fact log (SPEC §3): what the run was made with. */
export interface LogHeader {
  readonly format: 'lmm-log';
  readonly version: 1;
  readonly layout: Layout;
  /** The policy of the first commands (all of them without a switch). */
  readonly policy: Policy;
  /** A what-if branch (`run --switch CMD:POLICY`): the commands after `switch.cmd` ran under `switch.policy`. Absent when none. */
  readonly switch?: PolicySwitch;
  readonly maxPages: number | null;
}

/** Builds a header for a run; `change` is its policy switch, if any. */
export function makeHeader(layout: Layout, policy: Policy, maxPages: number | null, change?: PolicySwitch): LogHeader {
  const { pageSize, pageHeaderSize, metaSize } = layout;
  const base = { format: 'lmm-log', version: FACT_LOG_VERSION, layout: { pageSize, pageHeaderSize, metaSize }, policy } as const;
  return change === undefined ? { ...base, maxPages } : { ...base, switch: { cmd: change.cmd, policy: change.policy }, maxPages };
}

/** The header as its log line (no line end): `switch` beside `policy` when the run has one. */
export function headerLine(header: LogHeader): string {
  return JSON.stringify(makeHeader(header.layout, header.policy, header.maxPages, header.switch));
}

/** The policy in force after command `cmd` of the run a header describes (its `switch` taken into account). */
export function headerPolicyAfter(header: LogHeader, cmd: number): Policy {
  return policyAfter(header.policy, header.switch, cmd);
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
  if (text.length > MAX_JSON_DEPTH && jsonDepth(text) > MAX_JSON_DEPTH) throw new InputError(file, line, tooDeep());
  return value as Record<string, unknown>;
}

/** Parses and checks a header line; an InputError says what is wrong (another format or version included). */
export function parseHeader(text: string, file: string, line = 1): LogHeader {
  const h = parseJsonObject(text, file, line, 'fact log header');
  if (h.format !== 'lmm-log') {
    if (typeof h.op === 'string') throw new InputError(file, line, 'not an lmm fact log: this looks like a command trace (lmm run reads those; its --facts LOG writes a fact log)');
    throw new InputError(file, line, 'not an lmm fact log (the header has no "format":"lmm-log")');
  }
  if (h.version !== FACT_LOG_VERSION) throw new InputError(file, line, `fact log version ${shown(h.version)} is not supported (this lmm reads version ${FACT_LOG_VERSION})`);
  const l = h.layout as Record<string, unknown> | null;
  if (typeof l !== 'object' || l === null) throw new InputError(file, line, 'header has no layout');
  const layout = checkLayout({ pageSize: l.pageSize as number, pageHeaderSize: l.pageHeaderSize as number, metaSize: l.metaSize as number });
  if (typeof layout === 'string') throw new InputError(file, line, `header layout: ${layout}`);
  if (typeof h.policy !== 'string' || !isPolicy(h.policy)) throw new InputError(file, line, `header policy ${shown(h.policy)} is unknown`);
  const mp = h.maxPages;
  if (mp !== null && !isInt(mp)) throw new InputError(file, line, `header maxPages ${shown(mp)} is not null or an integer from 0 to 2^53 − 1`);
  if (h.switch === undefined) return makeHeader(layout, h.policy, mp);
  const sw = h.switch as Record<string, unknown> | null;
  if (typeof sw !== 'object' || sw === null || Array.isArray(sw)) throw new InputError(file, line, `header switch ${shown(h.switch)} is not an object {"cmd","policy"}`);
  if (!isInt(sw.cmd)) throw new InputError(file, line, `header switch cmd ${shown(sw.cmd)} is not an integer from 0 to 2^53 − 1`);
  if (typeof sw.policy !== 'string' || !isPolicy(sw.policy)) throw new InputError(file, line, `header switch policy ${shown(sw.policy)} is unknown`);
  return makeHeader(layout, h.policy, mp, { cmd: sw.cmd, policy: sw.policy });
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** What a field of each kind must be, for messages. */
const EXPECTED: Readonly<Record<FieldKind, string>> = {
  string: 'a string',
  'string?': 'a string when present',
  'true?': 'true when present',
  int: 'an integer from 0 to 2^53 − 1',
  frag: `one of ${FRAGS.map((x) => `"${x}"`).join(', ')}`,
  code: 'a rejection code',
  merged: `an object {${MERGED_FIELDS.join(', ')}} of integers ≥ 0`,
  any: 'present',
};

/** A JSON value in a message: printable, at most about 60 characters. */
const shown = (v: unknown): string => preview(JSON.stringify(v) ?? 'undefined');

/**
 * Parses one fact line and checks its shape: `seq` must be `expectSeq`, `cmd` at least
 * `minCmd`, the type known and every field of its row of `FACT_SCHEMA` of its kind.
 */
export function parseFact(text: string, file: string, line: number, expectSeq: number, minCmd: number): LoggedFact {
  const f = parseJsonObject(text, file, line, 'fact');
  if (f.seq !== expectSeq) throw new InputError(file, line, `fact seq ${shown(f.seq)}, expected ${expectSeq}`);
  if (!isInt(f.cmd) || f.cmd < minCmd || f.cmd < 1) throw new InputError(file, line, `fact cmd ${shown(f.cmd)} is not an integer ≥ ${Math.max(minCmd, 1)}`);
  const type = f.type;
  if (typeof type !== 'string' || !Object.hasOwn(FACT_FIELDS, type)) throw new InputError(file, line, `unknown fact type ${shown(type)}`);
  for (const { name, kind } of FACT_FIELDS[type as FactType]) {
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
        ok = typeof v === 'string' && (FRAGS as readonly string[]).includes(v);
        break;
      case 'code':
        ok = typeof v === 'string' && (REJECTION_CODES as readonly string[]).includes(v);
        break;
      case 'merged': {
        const m = v as Record<string, unknown> | null;
        ok = typeof m === 'object' && m !== null;
        for (let j = 0; ok && j < MERGED_FIELDS.length; j++) ok = isInt(m![MERGED_FIELDS[j]!]);
        break;
      }
      case 'any':
        ok = v !== undefined;
        break;
    }
    if (!ok) throw new InputError(file, line, `${type} fact: field ${name} is ${v === undefined ? 'missing' : `${EXPECTED[kind]}, not ${shown(v)}`}`);
  }
  return f as unknown as LoggedFact;
}

/** A fact with the line it stands on (and, when asked for, the byte offset of that line in the file). */
export interface LineFact {
  readonly fact: LoggedFact;
  readonly line: number;
  readonly offset?: number;
}

/** A place between two commands of a fact log whose header is known, to read on from (as the log's index records it). */
export interface FactLogPosition {
  readonly header: LogHeader;
  /** Byte offset of the next command's first fact line. */
  readonly offset: number;
  /** That line's number. */
  readonly line: number;
  /** Facts before it: the next fact's `seq` is `seq + 1`. */
  readonly seq: number;
  /** Commands before it: the next fact's `cmd` is `cmd + 1`. */
  readonly cmd: number;
}

/** Options of `readFactLog`. */
export interface ReadFactLogOptions extends ReadLinesOptions {
  /** Refuse a log whose last line was cut off, instead of reading up to its last whole command. */
  readonly strict?: boolean;
  /** Told when a cut-off last line is skipped (not strict): the error names the line. */
  readonly onWarning?: (error: InputError) => void;
  /** Read on from this position of a regular file (the header is not read again, nor yielded). Default: from the start. */
  readonly from?: FactLogPosition;
}

/**
 * The longest fact line read by default, in bytes: 4 × the longest trace line. A Rejected
 * fact keeps its command whole and its message may quote one of its fields (escaped twice),
 * so a run's fact lines can be about 3 × its longest trace line; lmm reads what it writes.
 */
export const MAX_FACT_LINE_BYTES = 4 * MAX_LINE_BYTES;

/**
 * True when `facts` are a whole command: one of the forms of SPEC §1 (`commandUnitProblem`),
 * and not ending in a Freed fact whose merged block fills its page(s) — such a page is
 * released at once, so its PageRelease fact must follow.
 */
function wholeCommand(facts: readonly Fact[], layout: Layout): boolean {
  if (commandUnitProblem(facts) !== undefined) return false;
  const last = facts[facts.length - 1];
  if (last?.type !== 'Freed') return true;
  const { pageSize, pageHeaderSize, metaSize } = layout;
  const end = last.merged.offset + metaSize + last.merged.size;
  return !(last.merged.offset === pageHeaderSize && end % pageSize === 0);
}

/** The `seq` and `cmd` a fact line starts with, as lmm writes it. */
const FACT_START = /^\{"seq":\d+,"cmd":(\d+)[,}]/;

/**
 * Streams a fact log: first the header, then batches of facts with their lines, checked for
 * shape and numbering (not yet folded). Blank lines are skipped.
 *
 * A log whose last line was cut off mid-fact (no line end, not a whole fact: a recorder
 * that crashed) is read up to its last whole command — the facts of a command the cut went
 * through are left out too — with a warning naming the cut line (`onWarning`); when
 * `strict`, it is refused. Everything else that is wrong — an empty file, another format or
 * version, a line that is not a fact — is an InputError naming file and line.
 */
export async function* readFactLog(path: string, options: ReadFactLogOptions = {}): AsyncGenerator<LogHeader | LineFact[]> {
  const file = options.displayName ?? path;
  const from = options.from;
  let header: LogHeader | undefined = from?.header;
  let seq = (from?.seq ?? 0) + 1;
  let cmd = (from?.cmd ?? 0) + 1;
  // The facts of the last command seen: held back until a fact of the next command (or the
  // end of the file) shows that it is whole.
  let held: LineFact[] = [];
  let yieldedCmd = from?.cmd ?? 0;
  const start = from === undefined ? {} : { start: { offset: from.offset, line: from.line } };
  for await (const chunk of readLines(path, { maxLineBytes: MAX_FACT_LINE_BYTES, ...options, ...start })) {
    const out: LineFact[] = held;
    held = [];
    for (let i = 0; i < chunk.text.length; i++) {
      const text = chunk.text[i]!;
      const line = chunk.first + i;
      if (text.trim() === '') continue;
      if (header === undefined) {
        header = parseHeader(text, file, line);
        yield header;
        continue;
      }
      let fact: LoggedFact;
      try {
        fact = parseFact(text, file, line, seq, cmd);
      } catch (e) {
        if (!chunk.unterminated || !(e instanceof InputError)) throw e;
        if (options.strict) throw new InputError(file, line, `the last line is cut off (${e.reason}); without --strict the log is read up to its last whole command`);
        // The cut went through the last command when the cut line belongs to it (or, when its
        // command number cannot be read, when the facts before it are not a whole command).
        const cutCmd = FACT_START.exec(text)?.[1];
        const last = out.length > 0 ? out[out.length - 1]!.fact.cmd : 0;
        const partial = last > 0 && (cutCmd !== undefined ? Number(cutCmd) === last : !wholeCommand(out.filter((f) => f.fact.cmd === last).map((f) => f.fact), header.layout));
        if (partial) while (out.length > 0 && out[out.length - 1]!.fact.cmd === last) out.pop();
        const upTo = out.length > 0 ? out[out.length - 1]!.fact.cmd : yieldedCmd;
        options.onWarning?.(new InputError(file, line, `the last line is cut off; read the log up to command ${upTo}${partial ? ` (command ${last} lost facts in the cut)` : ''}`));
        break;
      }
      seq++;
      cmd = fact.cmd;
      out.push(chunk.offsets === undefined ? { fact, line } : { fact, line, offset: chunk.offsets[i]! });
    }
    if (!chunk.unterminated && out.length > 0) {
      // Hold back the last command: its facts may go on in the next chunk, or be cut off.
      const lastCmd = out[out.length - 1]!.fact.cmd;
      let k = out.length;
      while (k > 0 && out[k - 1]!.fact.cmd === lastCmd) k--;
      held = out.splice(k);
    }
    if (out.length > 0) {
      yieldedCmd = out[out.length - 1]!.fact.cmd;
      yield out;
    }
  }
  if (held.length > 0) yield held;
  if (header === undefined) throw new InputError(file, 0, 'empty file: no fact log header');
}
