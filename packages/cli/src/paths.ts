import { isAbsolute, resolve } from 'node:path';

/**
 * The directory the user ran `pnpm lmm …` in. pnpm runs scripts from the repository root
 * and passes the user's directory as INIT_CWD; file arguments are relative to it (SPEC §5).
 */
export function userDir(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

/** A file argument resolved against the user's directory. */
export function userPath(file: string): string {
  return isAbsolute(file) ? file : resolve(userDir(), file);
}
