/** Small helpers for the example and rejection tests of the core. */
import { expect } from 'vitest';
import { initialState, step, type Fact, type HeapOptions, type HeapState, type RejectionCode } from '@lmm/core';
import { fingerprint } from '@lmm/testkit';

/** Runs commands that must all succeed; returns the state after them and every fact. */
export function heap(options: HeapOptions, commands: readonly unknown[]): { state: HeapState; facts: Fact[] } {
  let state = initialState(options);
  const facts: Fact[] = [];
  commands.forEach((command, i) => {
    const result = step(state, command);
    const rejected = result.facts.find((f) => f.type === 'Rejected');
    expect(rejected, `setup command ${i + 1} ${JSON.stringify(command)}`).toBeUndefined();
    state = result.state;
    facts.push(...result.facts);
  });
  return { state, facts };
}

/** Runs one command; returns its facts and the state after it. */
export function run(state: HeapState, command: unknown): { state: HeapState; facts: readonly Fact[] } {
  return step(state, command);
}

/** Asserts `command` is rejected on `state` with `code`, as one Rejected fact carrying the command, and changes nothing. */
export function expectRejected(state: HeapState, command: unknown, code: RejectionCode): void {
  const before = fingerprint(state);
  const { state: after, facts } = step(state, command);
  expect(facts, JSON.stringify(command)).toHaveLength(1);
  const fact = facts[0]!;
  expect(fact.type).toBe('Rejected');
  if (fact.type !== 'Rejected') return;
  expect({ code: fact.code, command: fact.command }, JSON.stringify(command)).toStrictEqual({ code, command });
  expect(fact.message.length).toBeGreaterThan(0);
  expect(fingerprint(after), `state after ${JSON.stringify(command)}`).toBe(before);
  expect(fingerprint(state), 'the state before is untouched').toBe(before);
}

/** Bytes as two-digit hex, space-separated (`01 ac 02`), for comparing encodings worked out by hand. */
export const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');
