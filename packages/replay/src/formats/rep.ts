import type { TraceCommand } from './commandTrace.js';
import { preview } from './commandTrace.js';
import type { FamilyMapper } from './familyMapping.js';
import { InputError } from './inputError.js';
import type { LineChunk } from './lines.js';

const INT = /^\d+$/;
const HEADER_NAMES = ['suggested heap size', 'number of ids', 'number of operations', 'weight'] as const;

/** The four numbers a malloc-lab trace starts with. */
export interface RepHeader {
  readonly heapSize: number;
  readonly ids: number;
  readonly ops: number;
  readonly weight: number;
}

/**
 * Reads a CS:APP malloc-lab trace (`.rep`, SPEC §4) into commands, one chunk of lines at a
 * time: four header numbers (suggested heap size, number of ids, number of operations,
 * weight; on one line or spread over several), then one operation per line — `a id size`
 * (alloc), `r id size` (realloc, same id), `f id` (free; `f -1` is skipped). Ids are
 * decimal integers ≥ 0, passed on as strings; sizes are integers ≥ 0 bytes. Blank lines
 * and `#` comment lines (`#` in the first column, as `--format auto` skips them) are
 * skipped; an indented `#` is read as an operation (an unknown one).
 *
 * Like malloc-lab's mdriver, it reads as many operations as the header announces: a file
 * with fewer was cut off (an InputError at its end); lines after the last announced
 * operation are not read (some CS:APP traces — lrucd, nlydf, qyqyc, rulsr — hold 201
 * operations under a header of 200), and `onWarning` is told once, at the end, naming the
 * first such line and how many there are. Anything else wrong on a line is an InputError
 * naming it.
 */
export class RepParser {
  private readonly numbers: number[] = [];
  private ops = 0;
  private lastLine = 0;
  /** Lines after the last operation the header announces (not read), and the first of them. */
  private extra = 0;
  private firstExtra = 0;

  constructor(
    private readonly file: string,
    private readonly mapper: FamilyMapper,
    /** Told about lines after the announced operations (an InputError naming the first). */
    private readonly onWarning?: (warning: InputError) => void,
  ) {}

  /** The header, once its four numbers are read. */
  get header(): RepHeader | undefined {
    const [heapSize, ids, ops, weight] = this.numbers;
    return weight === undefined ? undefined : { heapSize: heapSize!, ids: ids!, ops: ops!, weight };
  }

  /** The commands of one chunk of lines. */
  parse(chunk: LineChunk): TraceCommand[] {
    const out: TraceCommand[] = [];
    for (let i = 0; i < chunk.text.length; i++) {
      const line = chunk.first + i;
      const tokens = chunk.text[i]!.trim().split(/\s+/);
      if (tokens[0] === '' || chunk.text[i]!.startsWith('#')) continue;
      this.lastLine = line;
      if (this.numbers.length < 4) this.headerLine(tokens, line);
      else this.op(tokens, line, chunk.text[i]!, out);
    }
    return out;
  }

  /** Checks, at the end of the file, that the header and every operation it announced were there. */
  end(): TraceCommand[] {
    const h = this.header;
    if (h === undefined) throw new InputError(this.file, this.lastLine, `the malloc-lab header ends early: ${HEADER_NAMES[this.numbers.length]} is missing`);
    if (this.ops < h.ops) throw new InputError(this.file, this.lastLine, `the header announces ${h.ops} operations, the file has ${this.ops}: it was cut off`);
    if (this.extra > 0) {
      const lines = this.extra === 1 ? 'the line after them is' : `the ${this.extra} lines after them are`;
      this.onWarning?.(new InputError(this.file, this.firstExtra, `the header announces ${h.ops} operations; ${lines} not read (as malloc-lab's mdriver reads only the announced count)`));
    }
    const out: TraceCommand[] = [];
    this.mapper.end(this.lastLine, out);
    return out;
  }

  private headerLine(tokens: string[], line: number): void {
    for (const t of tokens) {
      const what = HEADER_NAMES[this.numbers.length];
      if (what === undefined) throw new InputError(this.file, line, `the malloc-lab header has four numbers, this line has more: '${t}'`);
      if (!INT.test(t)) throw new InputError(this.file, line, `malloc-lab header: ${what} '${preview(t)}' is not an integer ≥ 0`);
      if (!Number.isSafeInteger(Number(t))) throw new InputError(this.file, line, `malloc-lab header: ${what} '${preview(t)}' is too large (at most 2^53 − 1)`);
      this.numbers.push(Number(t));
    }
  }

  private op(tokens: string[], line: number, text: string, out: TraceCommand[]): void {
    const h = this.header!;
    if (this.ops === h.ops) {
      if (this.extra++ === 0) this.firstExtra = line;
      return;
    }
    this.ops++;
    const [op, rawId, size] = tokens;
    // Ids are numbers: `07` and `7` are one id.
    const id = rawId?.replace(/^0+(?=\d)/, '');
    switch (op) {
      case 'a':
      case 'r': {
        if (tokens.length !== 3 || !INT.test(id!) || !INT.test(size!)) throw new InputError(this.file, line, `expected '${op} ID SIZE' (integers ≥ 0): ${preview(text)}`);
        if (op === 'a') this.mapper.alloc(id!, Number(size), line, out);
        else this.mapper.realloc(id!, id!, Number(size), line, out);
        return;
      }
      case 'f':
        if (tokens.length !== 2 || !(INT.test(id!) || id === '-1')) throw new InputError(this.file, line, `expected 'f ID' (an integer ≥ 0, or -1): ${preview(text)}`);
        if (id !== '-1') this.mapper.free(id!, line, out);
        return;
      default:
        throw new InputError(this.file, line, `unknown malloc-lab operation '${preview(op!)}' (expected a, r or f): ${preview(text)}`);
    }
  }
}
