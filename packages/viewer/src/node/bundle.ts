import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// The package's own directory, from src/node/ or dist/node/ alike: the page is bundled from its sources.
const inPackage = (file: string): string => fileURLToPath(new URL(`../../${file}`, import.meta.url));

let script: Promise<string> | undefined;

/**
 * The page's script: src/page/main.ts and everything it imports, bundled by esbuild into one
 * minified IIFE for current browsers. Built on first use and kept for the process.
 */
export function pageScript(): Promise<string> {
  script ??= build({
    entryPoints: [inPackage('src/page/main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text.trim());
  return script;
}

/** The page's style sheet (src/page/style.css). */
export function pageStyle(): Promise<string> {
  return readFile(inPackage('src/page/style.css'), 'utf8');
}
