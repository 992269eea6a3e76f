import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The `lmm` command as installed: packages/cli/bin/lmm.js, which runs the built CLI (`pnpm build`). */
export const LMM_BIN = fileURLToPath(new URL('../../cli/bin/lmm.js', import.meta.url));

/** The repository's root directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** How to run `lmm`: the directory it runs in (relative paths resolve there), extra environment, standard input, node options. */
export interface LmmOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly input?: string | Uint8Array;
  readonly nodeOptions?: readonly string[];
}

function spawnArgs(args: readonly string[], options: LmmOptions): [string, string[], { cwd: string; env: NodeJS.ProcessEnv }] {
  // INIT_CWD is pnpm's: a test runs lmm as a user in `cwd` would, not as `pnpm lmm`.
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.INIT_CWD;
  delete env.LMM_DEBUG;
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return [process.execPath, [...(options.nodeOptions ?? []), LMM_BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, env }];
}

/** Runs `lmm ARGS` to the end and returns its exit status and output (UTF-8 text). */
export function lmmSync(args: readonly string[], options: LmmOptions = {}): SpawnSyncReturns<string> {
  const [cmd, argv, opts] = spawnArgs(args, options);
  return spawnSync(cmd, argv, { ...opts, encoding: 'utf8', ...(options.input !== undefined ? { input: options.input } : {}), maxBuffer: 1 << 30 });
}

/** What a finished `lmm` process did. */
export interface LmmResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `lmm` process: its end, a way to signal it, and its pid. */
export interface LmmRun {
  readonly done: Promise<LmmResult>;
  kill(signal: NodeJS.Signals): void;
  readonly pid: number;
}

/** Starts `lmm ARGS` without waiting (for tests that signal it or run several at once). */
export function lmmStart(args: readonly string[], options: LmmOptions = {}): LmmRun {
  const [cmd, argv, opts] = spawnArgs(args, options);
  const child = spawn(cmd, argv, opts);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  if (options.input !== undefined) child.stdin.end(options.input);
  else child.stdin.end();
  const done = new Promise<LmmResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { done, kill: (s) => child.kill(s), pid: child.pid! };
}

/** Runs `lmm ARGS` asynchronously to the end. */
export function lmmAsync(args: readonly string[], options: LmmOptions = {}): Promise<LmmResult> {
  return lmmStart(args, options).done;
}
