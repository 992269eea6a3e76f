#!/usr/bin/env node
import { InputError } from '@lmm/replay';
import { abortAllOutputs } from './outputFile';
import { commands } from './commands';
import { UsageError } from './usageError';

const USAGE = `usage: lmm <command> …
  run TRACE [--format auto|jsonl|valgrind|rep] [--families single|pow2|exact]
            [--layout seed|lmm64|lmm32|P:H:M] [--policy worst-fit|best-fit|first-fit]
            [--max-pages N] [--facts LOG] [--state FILE] [--json]
  show  LOG [--at CMD] [--json]
  stats LOG [--at CMD] [--json] [--csv --every N]
  diff  A B [--at CMD] [--json]
  view  LOG [--vs B] -o FILE.html`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) throw new UsageError(`unknown command '${name}'\n${USAGE}`);
  return command(rest);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    abortAllOutputs();
    process.stderr.write(`lmm: interrupted (${signal}); no output file was written\n`);
    process.exit(130);
  });
}
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // A closed pipe (`lmm … | head`) is not a failure.
  if (e.code === 'EPIPE') process.exit(0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    abortAllOutputs();
    if (e instanceof InputError || e instanceof UsageError) {
      process.stderr.write(`lmm: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      const err = e as Error;
      process.stderr.write(`lmm: unexpected error: ${err?.message ?? String(e)}\n`);
      if (process.env.LMM_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
      process.exitCode = 1;
    }
  },
);
