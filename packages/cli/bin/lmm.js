#!/usr/bin/env node
// The `lmm` command: runs the CLI as built by `pnpm build` (packages/cli/dist).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('lmm: the CLI is not built yet: run `pnpm build` (or `pnpm install`) in the lmm repository\n');
  process.exit(1);
}
await import(main.href);
