import fc from 'fast-check';

/** What replays one failing property: fast-check's seed and, to go straight to the shrunk counterexample, its path. */
export interface PropertyReplay {
  readonly seed?: number;
  readonly path?: string;
}

/**
 * The seed and path to replay from the environment: LMM_SEED (an integer, as fast-check
 * printed it) and LMM_PATH (its `path`, e.g. `0:1:0`; only with LMM_SEED). Empty when
 * neither is set. A malformed value throws, rather than the suite running with a seed of
 * its own while the user believes they replay theirs.
 */
export function propertyReplay(env: Readonly<Record<string, string | undefined>> = process.env): PropertyReplay {
  const seed = env.LMM_SEED;
  const path = env.LMM_PATH;
  if ((seed === undefined || seed === '') && (path === undefined || path === '')) return {};
  if (seed === undefined || !/^-?\d{1,10}$/.test(seed) || !Number.isSafeInteger(Number(seed)) || Math.abs(Number(seed)) > 2 ** 31) {
    throw new Error(`LMM_SEED='${seed ?? ''}' is not fast-check's seed (an integer of 32 bits; LMM_PATH needs it)`);
  }
  if (path === undefined || path === '') return { seed: Number(seed) };
  if (!/^\d+(:\d+)*$/.test(path)) throw new Error(`LMM_PATH='${path}' is not fast-check's path (numbers joined by ':')`);
  return { seed: Number(seed), path };
}

/**
 * The command line that replays a failed run: the environment variables, then `pnpm test`
 * on the test file, filtered to the test by name (`-t`). `where` is the file (relative to
 * the repository) and the test's full name, when known.
 */
export function replayHint(seed: number, path: string | null, where?: { readonly file: string; readonly test: string }): string {
  const vars = `LMM_SEED=${seed}${path === null ? '' : ` LMM_PATH=${path}`}`;
  if (where === undefined) return `replay: ${vars} pnpm test`;
  return `replay: ${vars} pnpm test ${where.file} -t ${shellQuote(where.test)}`;
}

/** `text` as one shell word in single quotes. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Sets fast-check's global parameters for the whole suite (a vitest setup file calls this
 * once per worker): the seed and path of `propertyReplay` when the environment gives them,
 * and a reporter that ends a failure's message with the line that replays it
 * (`replayHint`), the failing check's own error as its cause. Every `fc.assert` uses them;
 * its own options (numRuns from `propertyRuns`) are merged over them.
 */
export function configurePropertyReplay(where: () => { readonly file: string; readonly test: string } | undefined): void {
  const replay = propertyReplay();
  const reporter = (details: fc.RunDetails<unknown>): void => {
    if (!details.failed) return;
    const message = fc.defaultReportMessage(details) ?? 'Property failed';
    throw new Error(`${message}\n${replayHint(details.seed, details.counterexamplePath, where())}`, { cause: details.errorInstance ?? undefined });
  };
  fc.configureGlobal({ ...fc.readConfigureGlobal(), ...replay, reporter });
}
