/** Registers a page family: a struct type's name and size in bytes. */
export interface RegisterCommand {
  readonly op: 'register';
  readonly family: string;
  readonly size: number;
}

/** Allocates `units` structs of a family (default 1) under the application's id. */
export interface AllocCommand {
  readonly op: 'alloc';
  readonly id: string;
  readonly family: string;
  readonly units?: number;
}

/** Frees the block allocated under `id`. */
export interface FreeCommand {
  readonly op: 'free';
  readonly id: string;
}

/**
 * Moves the block of `id` to a new block of `units` structs (default 1) in the same
 * family; afterwards `to` (default `id`) names the new block.
 */
export interface ReallocCommand {
  readonly op: 'realloc';
  readonly id: string;
  readonly units?: number;
  readonly to?: string;
}

/**
 * A command of SPEC §1 as `parseCommand` passes it on: its fields of the right JSON types, ids
 * and `to` non-empty, a register's family name valid. The checks that need the heap (and a
 * units value that is not an integer ≥ 1, which SPEC orders after one of them) are `decide`'s.
 */
export type Command = RegisterCommand | AllocCommand | FreeCommand | ReallocCommand;

/** The `op` of every command. */
export type CommandOp = Command['op'];
