import { isAbsolute, resolve } from 'node:path';

/** The directory `inUserDir` gives for the run in progress. */
let given: string | undefined;

/**
 * Runs `run` with file arguments relative to `dir` (`runCli`'s `cwd`: a command run in
 * process, in a directory of its own, without changing the process's); as before when `dir`
 * is undefined. Commands run one at a time: `dir` holds until `run` settles.
 */
export async function inUserDir<T>(dir: string | undefined, run: () => Promise<T>): Promise<T> {
  if (dir === undefined) return run();
  const before = given;
  given = dir;
  try {
    return await run();
  } finally {
    given = before;
  }
}

/**
 * The directory file arguments are relative to: `inUserDir`'s directory during a run given
 * one; else the process's own directory, except under
 * `pnpm lmm …` in the lmm repository. pnpm runs that script from the repository root and
 * passes the directory the user typed it in as INIT_CWD; the script is told apart by pnpm's
 * `npm_lifecycle_event` (`lmm`) and `npm_package_name` (the root package, `lmm`). An `lmm`
 * on the PATH run from some other package's script keeps that script's directory, as any
 * command would.
 */
export function userDir(): string {
  if (given !== undefined) return given;
  const env = process.env;
  const underPnpmLmm = env.npm_lifecycle_event === 'lmm' && env.npm_package_name === 'lmm' && env.INIT_CWD !== undefined && env.INIT_CWD !== '';
  return underPnpmLmm ? env.INIT_CWD! : process.cwd();
}

/**
 * A file argument resolved against the user's directory. `-` is standard input
 * (`/dev/stdin`, which the readers read as it comes, also when it is a socket); outputs
 * handle `-` themselves (`OutputFile`).
 */
export function userPath(file: string): string {
  if (file === '-') return '/dev/stdin';
  return isAbsolute(file) ? file : resolve(userDir(), file);
}
