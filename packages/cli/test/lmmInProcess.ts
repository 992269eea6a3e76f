/**
 * `lmm ARGS` run in this process (`runCli` on the sources, its output captured), for tests
 * that check what a command prints and writes rather than the process around it: they run
 * faster than a child process, and coverage and mutation testing see the CLI's code. What
 * needs a process of its own stays on testkit's `lmmSync`/`lmmAsync`: standard input, an
 * output named `-` (descriptor 1), signals, `compare`'s worker threads, the built `dist/`.
 * The process's working directory is left alone (`runCli`'s `cwd`): this runs in worker threads too.
 */
import type { LmmResult } from '@lmm/testkit';
import { REPO_ROOT } from '@lmm/testkit';
import { runCli } from '../src/runCli.js';

/** Where `lmm` runs: its directory (relative paths resolve there; default the repository root) and extra environment. */
export interface InProcessOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

// The environment is the process's, and the CLI runs one command at a time.
let queue: Promise<unknown> = Promise.resolve();

/** Runs `lmm ARGS` in process to the end: its exit status, and what it wrote on stdout and stderr. `signal` is always null. */
export function lmmInProcess(args: readonly string[], options: InProcessOptions = {}): Promise<LmmResult> {
  const run = queue.then(() => runIn(args, options));
  queue = run.catch(() => undefined);
  return run;
}

async function runIn(args: readonly string[], options: InProcessOptions): Promise<LmmResult> {
  let stdout = '';
  let stderr = '';
  const saved = new Map<string, string | undefined>();
  // As testkit's lmmSync: lmm runs as a user in `cwd` would, not as `pnpm lmm`.
  const env: Record<string, string | undefined> = { INIT_CWD: undefined, LMM_DEBUG: undefined, ...options.env };
  for (const [k, v] of Object.entries(env)) {
    saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    const code = await runCli(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } }, { cwd: options.cwd ?? REPO_ROOT });
    return { code, signal: null, stdout, stderr };
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
