import type { BlockDump, BlockState, FamilyDump, Layout, PageDump, Policy, QueueDump } from '@lmm/core';

/** A block field a `block-changed` record names: a field of the block's dump but its offset (where it is). */
export type BlockField = Exclude<keyof BlockDump, 'offset'>;

/** The block fields, in the dump's order (the order `fields` lists them in); every one, or this fails to compile. */
const BLOCK_FIELDS = Object.keys({ size: 0, free: 0, gap: 0, id: 0 } satisfies Record<BlockField, 0>) as readonly BlockField[];

/**
 * One structural difference between two heap states `a` and `b`, as `diffStates` reports it.
 * Every record names what it is about by family name, page id and offset (the state dump's
 * terms, SPEC §3) and carries the parts as dumped. Taken together the records are a patch:
 * applied to a's dump in order they give b's dump (`applyChanges`).
 *
 * - `setting`: layout, policy or page limit differ.
 * - `family-added` / `family-removed`: a family only in b / only in a (with its dump; `index`
 *   = its registration index in b). `family-size`: the struct size differs.
 *   `family-order`: the families both have are registered in another order.
 * - `page-added` / `page-removed` (with the page's dump), `page-count`: the run length differs.
 * - `block-added` / `block-removed` / `block-changed` (with `fields` that differ), by offset.
 * - `queue-removed`: a free-queue entry only in a. `queue-added`: only in b, placed right
 *   `after` the given entry of b's queue (null: at its head). `queue-moved`: in both, but
 *   its place among the others changed (re-queued); also with `after`. Entries are the same
 *   when page, offset and size are; those not reported keep their relative order.
 */
export type StateChange =
  | { readonly kind: 'setting'; readonly field: 'layout'; readonly a: Layout; readonly b: Layout }
  | { readonly kind: 'setting'; readonly field: 'policy'; readonly a: Policy; readonly b: Policy }
  | { readonly kind: 'setting'; readonly field: 'maxPages'; readonly a: number | null; readonly b: number | null }
  | { readonly kind: 'family-added'; readonly family: string; readonly index: number; readonly b: FamilyDump }
  | { readonly kind: 'family-removed'; readonly family: string; readonly a: FamilyDump }
  | { readonly kind: 'family-size'; readonly family: string; readonly a: number; readonly b: number }
  | { readonly kind: 'family-order'; readonly a: readonly string[]; readonly b: readonly string[] }
  | { readonly kind: 'page-added'; readonly family: string; readonly page: number; readonly b: PageDump }
  | { readonly kind: 'page-removed'; readonly family: string; readonly page: number; readonly a: PageDump }
  | { readonly kind: 'page-count'; readonly family: string; readonly page: number; readonly a: number; readonly b: number }
  | { readonly kind: 'block-added'; readonly family: string; readonly page: number; readonly offset: number; readonly b: BlockDump }
  | { readonly kind: 'block-removed'; readonly family: string; readonly page: number; readonly offset: number; readonly a: BlockDump }
  | {
      readonly kind: 'block-changed';
      readonly family: string;
      readonly page: number;
      readonly offset: number;
      readonly fields: readonly BlockField[];
      readonly a: BlockDump;
      readonly b: BlockDump;
    }
  | { readonly kind: 'queue-removed'; readonly family: string; readonly entry: QueueDump }
  | { readonly kind: 'queue-added'; readonly family: string; readonly entry: QueueDump; readonly after: QueueDump | null }
  | { readonly kind: 'queue-moved'; readonly family: string; readonly entry: QueueDump; readonly after: QueueDump | null };

/** The `kind` of every change record. */
export type StateChangeKind = StateChange['kind'];

/** The fields in which two blocks differ as dumped (the queue stamp is not one). */
export function blockFieldsDiffering(a: BlockState | BlockDump, b: BlockState | BlockDump): BlockField[] {
  const fields: BlockField[] = [];
  // A free block's state has id null where its dump has no id.
  for (const k of BLOCK_FIELDS) if ((a[k] ?? null) !== (b[k] ?? null)) fields.push(k);
  return fields;
}
