import type { HeapState } from '@lmm/core';

/**
 * States kept every `every` commands (command 0, every, 2·every, …) while a log is folded, at
 * most `max` of them: when one more is due, every other one is dropped and `every` doubles.
 * They are the engine's immutable snapshots, so consecutive checkpoints share every part of
 * the heap that did not change between them: a checkpoint costs about what the commands
 * since the one before touched, never more than one whole state.
 */
export class Checkpoints {
  private states: HeapState[] = [];
  private interval: number;

  /** `every`: commands between checkpoints to begin with, an integer ≥ 1; `max` ≥ 2: how many to keep at most. */
  constructor(every: number, readonly max = Infinity) {
    if (!Number.isInteger(every) || every < 1) throw new RangeError(`checkpoint interval ${every} is not an integer ≥ 1`);
    if (!(max >= 2)) throw new RangeError(`checkpoint limit ${max} is below 2`);
    this.interval = every;
  }

  /** Commands between checkpoints now. */
  get every(): number {
    return this.interval;
  }

  /** How many are kept. */
  get count(): number {
    return this.states.length;
  }

  /** True when the state after `cmd` is due to be kept. */
  due(cmd: number): boolean {
    return cmd === this.states.length * this.interval;
  }

  /** Keeps the state after command `cmd`, which must be the next one due. */
  add(cmd: number, state: HeapState): void {
    if (!this.due(cmd)) throw new RangeError(`checkpoint at command ${cmd} is not the next one due (${this.states.length * this.interval})`);
    this.states.push(state);
    if (this.states.length > this.max) {
      // Keep commands 0, 2·every, 4·every, …; the next one due is then count · 2·every.
      this.states = this.states.filter((_, i) => i % 2 === 0);
      this.interval *= 2;
    }
  }

  /** The last checkpoint at or before command `cmd`: its command and state. Needs the checkpoint of command 0. */
  atOrBefore(cmd: number): { readonly cmd: number; readonly state: HeapState } {
    const i = Math.min(Math.floor(Math.max(cmd, 0) / this.interval), this.states.length - 1);
    const state = this.states[i];
    if (state === undefined) throw new RangeError('no checkpoint yet');
    return { cmd: i * this.interval, state };
  }
}
