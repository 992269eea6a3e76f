import { filter, map, type Observable } from 'rxjs';
import { fromAsync, type FactBatch, type LoggedCommand } from '@lmm/events';
import { readFactLog, type LineFact, type LogHeader, type ReadFactLogOptions } from './factLog.js';
import { InputError } from './inputError.js';

/** A fact log opened for reading: its header, and its commands as a cold Observable of batches. */
export interface OpenedFactLog {
  readonly header: LogHeader;
  /**
   * The log's commands after the header, each with its facts and their lines, in batches (a
   * chunk of the file each), checked for shape and numbering (`readFactLog`), not yet folded:
   * pipe them into `foldFactLog`. The first subscription reads on from the header (the file
   * stays open until then); a later one reads the file again. Unsubscribing closes it.
   */
  readonly batches: Observable<FactBatch>;
}

/**
 * Opens a fact log: reads and checks its header line now (an InputError naming the file and
 * line when it is not a fact log lmm reads), and hands its commands out as batches. With
 * `from` (a position the log's index recorded) the header is the one given and the commands
 * are read from there on; with `offsets`, each command's `offset` is its first line's byte
 * offset in the file (else -1).
 */
export async function openFactLog(path: string, options: ReadFactLogOptions = {}): Promise<OpenedFactLog> {
  const file = options.displayName ?? path;
  if (options.from !== undefined) {
    const batches = fromAsync(() => readFactLog(path, options)).pipe(
      filter((item): item is LineFact[] => Array.isArray(item)),
      map(byCommand),
    );
    return { header: options.from.header, batches };
  }
  const reader = readFactLog(path, options);
  let header: LogHeader;
  try {
    const first = await reader.next();
    if (first.done === true || Array.isArray(first.value)) throw new InputError(file, 1, 'empty file: expected a fact log header');
    header = first.value;
  } catch (e) {
    await reader.return(undefined);
    throw e;
  }
  // The first subscription reads on from the header with the same reader (standard input or a
  // pipe can be read only once); any later one opens the file again.
  let unread: AsyncGenerator<LogHeader | LineFact[]> | undefined = reader;
  const batches = fromAsync(() => {
    const next = unread ?? readFactLog(path, options);
    unread = undefined;
    return next;
  }).pipe(
    filter((item): item is LineFact[] => Array.isArray(item)),
    map(byCommand),
  );
  return { header, batches };
}

/** Facts with their lines (whole commands, in log order) grouped by command; the facts keep their `seq` and `cmd`. */
function byCommand(facts: readonly LineFact[]): FactBatch {
  const out: LoggedCommand[] = [];
  let i = 0;
  while (i < facts.length) {
    const cmd = facts[i]!.fact.cmd;
    const group: LoggedCommand = { cmd, facts: [], lines: [], offset: facts[i]!.offset ?? -1 };
    while (i < facts.length && facts[i]!.fact.cmd === cmd) {
      const { fact, line } = facts[i]!;
      (group.facts as unknown[]).push(fact);
      (group.lines as number[]).push(line);
      i++;
    }
    out.push(group);
  }
  return out;
}
