/**
 * A setup file of the mutation-testing runs only (vitest.stryker.config.ts): loads every CLI
 * command module before any test starts. The CLI imports a command's module when the command
 * first runs, and the test files share one module graph, so a module's load-time code (a
 * table of columns, a help text) would otherwise be credited to whichever test happened to
 * run a command first — a test that may never look at that table — and its mutants would
 * survive or die by test order. Loaded here, that code runs outside any test: Stryker counts
 * it as static and leaves its mutants out (ignoreStatic), and every test that covers a
 * mutant is one that calls the code.
 */
import { commands } from '../packages/cli/src/commands.js';

await Promise.all([...commands.values()].map(async (entry) => entry.load?.()));
