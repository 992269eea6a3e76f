import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@lmm/testkit';
import type { CommandSpec } from '../packages/cli/src/commandSpec.js';
import { COMPARE_SPEC } from '../packages/cli/src/compareSpec.js';
import { DIFF_SPEC } from '../packages/cli/src/diffSpec.js';
import { RUN_SPEC } from '../packages/cli/src/runSpec.js';
import { SHOW_SPEC } from '../packages/cli/src/showSpec.js';
import { STATS_SPEC } from '../packages/cli/src/statsSpec.js';
import { VIEW_SPEC } from '../packages/cli/src/viewSpec.js';

// The README is the user's document: its command-line reference must name every option the
// CLI parses, and its code examples must run as printed.

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** The README's section on `lmm NAME`: from its `### \`lmm NAME` heading to the next heading. */
function sectionOf(name: string): string {
  const start = readme.indexOf(`### \`lmm ${name} `);
  expect(start, `a section "### \`lmm ${name} …\`" in the README`).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n#', start + 4);
  return readme.slice(start, end < 0 ? undefined : end);
}

const specs: readonly CommandSpec[] = [RUN_SPEC, SHOW_SPEC, STATS_SPEC, DIFF_SPEC, VIEW_SPEC, COMPARE_SPEC];

describe('README', () => {
  it.each(specs.map((s) => [s.name, s] as const))('names every option of lmm %s in its section', (name, spec) => {
    const section = sectionOf(name);
    for (const [option, o] of Object.entries(spec.options)) {
      if (o.planned === true) continue;
      expect(section, `--${option} of lmm ${name}`).toContain(`--${option}`);
    }
  });

  it('runs each JavaScript example as printed, from the repository root', () => {
    const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const code of blocks) {
      const r = spawnSync(process.execPath, ['--input-type=module'], { cwd: REPO_ROOT, input: code, encoding: 'utf8' });
      expect(r.stderr, code).toBe('');
      expect(r.status, code).toBe(0);
      // A comment `// X` after a console.log is the value the example says it prints.
      const said = /console\.log\([^;]*;\s*\/\/ (\d+)\n/.exec(code);
      if (said !== null) expect(r.stdout.trim()).toBe(said[1]);
    }
  });
});
