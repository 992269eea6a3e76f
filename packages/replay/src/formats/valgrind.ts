import type { TraceCommand } from './commandTrace.js';
import { preview } from './commandTrace.js';
import type { FamilyMapper } from './familyMapping.js';
import { InputError } from './inputError.js';
import type { LineChunk } from './lines.js';

/** valgrind's prefix on every line of its own log (`--PID-- `, or `==PID== ` for its messages). */
const PREFIX = /^--\d+-- ?/;
/** A call as `--trace-malloc=yes` prints it: `name(args)`. */
const CALL = /([A-Za-z_][A-Za-z0-9_]*)\(([^()]*)\)/y;
/** The result printed after the last call of a line. */
const RESULT = /^ = (0x[0-9a-fA-F]+|\d+|\(nil\))$/;
const ADDRESS = /^(0x[0-9a-fA-F]+|0|\(nil\))$/;
const SIZE = /^\d+$/;
const PAIR = /^(\d+), ?(\d+)$/;
const REALLOC_ARGS = /^(0x[0-9a-fA-F]+|0|\(nil\)), ?(\d+)$/;
const AL_SIZE = /^al (\d+), size (\d+)$/;
const SIZE_AL = /^size (\d+), al (\d+)$/;

/** What an allocator function does, by its name as valgrind prints it. */
type Kind = 'alloc' | 'calloc' | 'realloc' | 'free' | 'query';

const KINDS: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  ['malloc', 'alloc'],
  ['calloc', 'calloc'],
  ['realloc', 'realloc'],
  ['memalign', 'alloc'],
  ['posix_memalign', 'alloc'],
  ['aligned_alloc', 'alloc'],
  ['valloc', 'alloc'],
  ['pvalloc', 'alloc'],
  ['free', 'free'],
  ['cfree', 'free'],
  ['__builtin_new', 'alloc'],
  ['__builtin_vec_new', 'alloc'],
  ['__builtin_delete', 'free'],
  ['__builtin_vec_delete', 'free'],
  ['malloc_usable_size', 'query'],
  ['mallinfo', 'query'],
]);

/** C++ operators new (`_Znwm`, `_Znam`, `…RKSt9nothrow_t`, `…St11align_val_t`; `j` on 32-bit) and delete (`_ZdlPv…`, `_ZdaPv…`). */
function kindOf(name: string): Kind | undefined {
  const k = KINDS.get(name);
  if (k !== undefined) return k;
  if (/^_Zn[wa][mj]/.test(name)) return 'alloc';
  if (/^_Zd[la]Pv/.test(name)) return 'free';
  return undefined;
}

/** The names an allocator call can start with: the known names and the stems of C++'s new and delete. */
const CALL_NAMES: readonly string[] = [...KINDS.keys(), '_Znwm', '_Znwj', '_Znam', '_Znaj', '_ZdlPv', '_ZdaPv'];

/**
 * True when `text` (a line after valgrind's prefix) is nothing but a known allocator name, or
 * the start of one (`mall`, `_Zd`): a call line cut off after (part of) its name.
 */
function isCutCallName(text: string): boolean {
  const name = text.trimEnd();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return false;
  return kindOf(name) !== undefined || CALL_NAMES.some((n) => n.startsWith(name));
}

/** Counts of what a valgrind log says the program did. */
export interface ValgrindCounts {
  /**
   * Calls that allocated, freed or moved a block, by the function the program called
   * (`realloc(0x0,N)malloc(N)` is one `realloc`).
   */
  readonly calls: Record<string, number>;
  /** Frees of the null pointer (`free(0x0)`, `_ZdlPv(0x0)`…), skipped. */
  nullFrees: number;
  /** Allocations that returned null (`malloc(N) = 0x0`, an overflowing `calloc`, a failed `realloc`), skipped. */
  failed: number;
}

/**
 * Reads the log of `valgrind --trace-malloc=yes` (SPEC §4) into commands, one chunk of
 * lines at a time. A line (with or without valgrind's `--PID-- ` prefix) that starts with an
 * allocator function and `(` is a call; every other line — valgrind's `==PID==` messages,
 * the ` = 0` valgrind prints on its own line after `realloc(0xA,0)free(0xA)`, the program's
 * own output — is ignored. A call line that does not parse is an InputError, and so is a
 * log with no call line at all (`end`). So is a line cut off after (part of) an allocator
 * name (`--1-- mall`, `--1-- free`), on a line with valgrind's `--PID--` prefix or on the
 * last line when it has no line end (a log whose writer stopped mid-line): valgrind never
 * prints a bare name, so such a line is a lost call, not a message. A line without the
 * prefix and with its line end (`free` printed by the program into the same file) is still
 * ignored.
 *
 * One line can hold several calls when one delegates to another or fails without printing
 * its result: `realloc(0x0,N)malloc(N) = 0xB` (an alloc), `realloc(0xA,0)free(0xA)` (a
 * free), `calloc(N,M)malloc(K) = 0xB` (a failed calloc, then a malloc). Only the last call
 * of a line has a result; an allocation without one did nothing. Allocations returning
 * null and frees of null are skipped; `realloc(0xA,0) = 0x0` (newer valgrind) frees.
 * `memalign`, `posix_memalign`, `aligned_alloc`, `valloc`, aligned and nothrow `new`
 * are allocs of their size; every `delete` is a free; `malloc_usable_size` and
 * `mallinfo` change nothing. Ids are the addresses in lower case.
 */
export class ValgrindParser {
  /** What the log said so far. */
  readonly counts: ValgrindCounts = { calls: {}, nullFrees: 0, failed: 0 };
  /** The last line read so far (0 before any). */
  private lastLine = 0;
  /** True once a line with an allocator call was read. */
  private sawCall = false;

  constructor(
    private readonly file: string,
    private readonly mapper: FamilyMapper,
  ) {}

  /** The commands of one chunk of lines. */
  parse(chunk: LineChunk): TraceCommand[] {
    const out: TraceCommand[] = [];
    if (chunk.text.length > 0) this.lastLine = chunk.first + chunk.text.length - 1;
    for (let i = 0; i < chunk.text.length; i++) {
      const raw = chunk.text[i]!;
      const prefix = PREFIX.exec(raw);
      const text = prefix === null ? raw : raw.slice(prefix[0].length);
      const head = /^([A-Za-z_][A-Za-z0-9_]*)\(/.exec(text);
      // The file's last line without a line end: a writer stopped there, maybe mid-call.
      const cut = chunk.unterminated && i === chunk.text.length - 1;
      if (head === null || kindOf(head[1]!) === undefined) {
        // A call cut off after its name is not a line to ignore: on one of valgrind's own
        // lines (prefixed), or on the log's cut-off last line.
        if ((prefix !== null || cut) && isCutCallName(text)) {
          throw this.error(chunk.first + i, `an allocator call cut off after its name: ${preview(raw)}${cut ? ' (the last line, with no line end: the log was cut off)' : ''}`);
        }
        continue;
      }
      this.sawCall = true;
      try {
        this.line(text, chunk.first + i, out);
      } catch (e) {
        if (cut && e instanceof InputError) throw this.error(e.line, `${e.reason} (the last line, with no line end: the log was cut off)`);
        throw e;
      }
    }
    return out;
  }

  /**
   * The commands the end of the log still makes (the register of `heap` under `single`, when
   * no call made one). A log without a single allocator call line is an InputError: it is not
   * a `--trace-malloc=yes` log (a command trace or `.rep` read as valgrind, or valgrind run
   * without the option), and reading it as a program that never allocated would be wrong.
   */
  end(): TraceCommand[] {
    if (!this.sawCall) {
      throw new InputError(this.file, 0, 'no allocator call found: not a log of valgrind --trace-malloc=yes (for a command trace or a malloc-lab .rep, use --format auto, jsonl or rep)');
    }
    const out: TraceCommand[] = [];
    this.mapper.end(this.lastLine, out);
    return out;
  }

  private line(text: string, line: number, out: TraceCommand[]): void {
    const calls: { name: string; kind: Kind; args: string }[] = [];
    let pos = 0;
    for (;;) {
      CALL.lastIndex = pos;
      const m = CALL.exec(text);
      if (m === null) break;
      const kind = kindOf(m[1]!);
      if (kind === undefined) throw this.error(line, `unknown allocator function '${m[1]}' in: ${preview(text)}`);
      calls.push({ name: m[1]!, kind, args: m[2]! });
      pos = CALL.lastIndex;
    }
    let result: string | undefined;
    if (pos < text.length) {
      const r = RESULT.exec(text.slice(pos));
      if (r === null) throw this.error(line, `cannot read this allocator call: ${preview(text)}`);
      result = r[1]!;
    }
    let delegated = false;
    for (let c = 0; c < calls.length; c++) {
      const { name, kind, args } = calls[c]!;
      const last = c === calls.length - 1;
      const res = last && result !== undefined && kind !== 'query' ? this.result(result, name, line) : undefined;
      // The call a realloc hands on to (its malloc or free) is the realloc itself, as the program sees it.
      const caller = delegated ? calls[c - 1]!.name : name;
      delegated = false;
      switch (kind) {
        case 'query':
          break;
        case 'free': {
          if (res !== undefined) throw this.error(line, `${name} returns nothing, yet a result follows: ${preview(text)}`);
          const a = ADDRESS.exec(args);
          if (a === null) throw this.error(line, `${name}: '${args}' is not an address`);
          const id = address(a[1]!);
          if (id === NULL) this.counts.nullFrees++;
          else {
            this.count(caller);
            this.mapper.free(id, line, out);
          }
          break;
        }
        case 'realloc': {
          const a = REALLOC_ARGS.exec(args);
          if (a === null) throw this.error(line, `${name}: '${args}' is not (address,size)`);
          const from = address(a[1]!);
          const bytes = Number(a[2]);
          if (res === undefined) {
            // realloc(0x0,N) hands on to malloc, realloc(0xA,0) to free: the next call on the line.
            if (last) throw this.error(line, `${name} has no result: ${preview(text)}`);
            delegated = true;
          } else if (res !== NULL) {
            this.count(name);
            if (from === NULL) this.mapper.alloc(res, bytes, line, out);
            else this.mapper.realloc(from, res, bytes, line, out);
          } else if (bytes === 0 && from !== NULL) {
            this.count(name);
            this.mapper.free(from, line, out);
          } else this.counts.failed++;
          break;
        }
        case 'alloc':
        case 'calloc': {
          const bytes = this.size(kind, name, args, line);
          if (res === undefined) {
            if (last) throw this.error(line, `${name} has no result: ${preview(text)}`);
            this.counts.failed++;
          } else if (res === NULL) this.counts.failed++;
          else {
            this.count(caller);
            this.mapper.alloc(res, bytes, line, out);
          }
          break;
        }
      }
    }
  }

  /** The bytes an allocation call asks for: `N`, `N,M` (calloc), `al A, size N` (memalign) or `size N, al A` (aligned new). */
  private size(kind: 'alloc' | 'calloc', name: string, args: string, line: number): number {
    if (kind === 'alloc' && SIZE.test(args)) return Number(args);
    if (kind === 'calloc') {
      const p = PAIR.exec(args);
      if (p !== null) return Number(p[1]) * Number(p[2]);
    }
    const al = AL_SIZE.exec(args);
    if (al !== null) return Number(al[2]);
    const sa = SIZE_AL.exec(args);
    if (sa !== null) return Number(sa[1]);
    throw this.error(line, `${name}: cannot read the size in '${args}'`);
  }

  /** The address an allocation returned (decimal only for its null, as in `realloc(0xA,0) = 0`). */
  private result(text: string, name: string, line: number): string {
    const id = address(text);
    if (id !== NULL && !text.startsWith('0x')) throw this.error(line, `${name}: '${text}' is not an address`);
    return id;
  }

  private count(name: string): void {
    this.counts.calls[name] = (this.counts.calls[name] ?? 0) + 1;
  }

  private error(line: number, reason: string): InputError {
    return new InputError(this.file, line, reason);
  }
}

const NULL = '0x0';

/** An address as an id: lower case; every spelling of null is `0x0`. */
function address(text: string): string {
  if (text === '0' || text === '(nil)' || /^0x0+$/i.test(text)) return NULL;
  return text.toLowerCase();
}
