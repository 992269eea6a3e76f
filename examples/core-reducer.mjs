// @lmm/core as a reducer: `parseCommand` reads any value as a typed command (or rejects it),
// `decide` turns the command into facts (pure, reads the state only), `evolveAll` folds the
// facts into a new immutable state; the old state is untouched.
// Run from the repository root: node examples/core-reducer.mjs
import { decide, dumpJson, evolveAll, initialState, LAYOUTS, parseCommand, statsOf } from '@lmm/core';

const commands = [
  { op: 'register', family: 'emp_t', size: 36 },
  { op: 'alloc', id: 'e1', family: 'emp_t', units: 2 },
  { op: 'alloc', id: 'e2', family: 'emp_t' },
  { op: 'free', id: 'e1' },
  { op: 'free', id: 'nobody' }, // rejected: E_NOT_ALLOCATED, and the state stays as it was
  { op: 'alloc', id: 'e3', family: 'emp_t', units: 'two' }, // not a command: E_BAD_COMMAND
];

let state = initialState({ layout: LAYOUTS.seed, policy: 'best-fit' });
const empty = state;
for (const command of commands) {
  const parsed = parseCommand(command);
  const facts = 'op' in parsed ? decide(state, parsed) : [parsed];
  console.log(`${JSON.stringify(command)}\n  → ${facts.map((f) => f.type + (f.type === 'Rejected' ? ` ${f.code}` : '')).join(', ')}`);
  state = evolveAll(state, facts);
}

console.log(`\nlive bytes ${statsOf(state).total.liveBytes}, pages in use ${state.pagesInUse}; the first state still has ${empty.families.size} families`);
console.log(`state dump:\n${dumpJson(state)}`);
