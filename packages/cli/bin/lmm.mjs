// `pnpm lmm …`: runs the CLI from one bundled JavaScript file, so a run starts without
// compiling TypeScript. The bundle (packages/cli/node_modules/.cache/lmm/lmm.mjs) is rebuilt
// with esbuild whenever a source file, a package.json or the lockfile is newer than it;
// if it cannot be built, lmm runs from its TypeScript sources through tsx instead.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('..', import.meta.url));
const root = join(cli, '..', '..');
const entry = join(cli, 'src', 'main.ts');
const out = join(cli, 'node_modules', '.cache', 'lmm', 'lmm.mjs');

/** The newest modification time among the files the bundle is made from, in ms. */
function newestSource() {
  let newest = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  const visit = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const src = join(root, 'packages', pkg, 'src');
    if (existsSync(src)) visit(src);
    const manifest = join(root, 'packages', pkg, 'package.json');
    if (existsSync(manifest)) newest = Math.max(newest, statSync(manifest).mtimeMs);
  }
  for (const f of ['package.json', 'pnpm-lock.yaml']) newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
  return newest;
}

async function build() {
  const { build: esbuild } = await import('esbuild');
  const tmp = `${out}.${process.pid}.tmp`;
  mkdirSync(dirname(out), { recursive: true });
  await esbuild({
    entryPoints: [entry],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // esbuild has a native binary (the viewer bundles its page with it at run time).
    external: ['esbuild'],
    banner: { js: "import { createRequire as __lmmRequire } from 'node:module'; const require = __lmmRequire(import.meta.url);" },
    logLevel: 'silent',
    plugins: [
      {
        // Sources that find files beside themselves keep doing so from inside the bundle.
        name: 'own-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]src[\\/].*\.ts$/ }, async (args) => {
            const { readFile } = await import('node:fs/promises');
            const text = await readFile(args.path, 'utf8');
            return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
          });
        },
      },
    ],
  });
  renameSync(tmp, out);
}

let bundle = out;
try {
  if (!existsSync(out) || statSync(out).mtimeMs < newestSource()) await build();
} catch (e) {
  if (process.env.LMM_DEBUG) process.stderr.write(`lmm: could not bundle the CLI (${e?.message ?? e}); running it through tsx\n`);
  const { register } = await import('tsx/esm/api');
  register();
  bundle = entry;
}
await import(pathToFileURL(bundle).href);
