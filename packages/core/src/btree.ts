import * as btreeModule from 'sorted-btree';
import type BTreeClass from 'sorted-btree';

// sorted-btree is CommonJS with `exports.default`: Node's ESM loader hands back the exports
// object, bundlers hand back the class. Take the class either way.
const mod = btreeModule as unknown as { default: typeof BTreeClass | { default: typeof BTreeClass } };
/** The B+ tree class of sorted-btree (persistent through O(1) `clone` with copy-on-write). */
export const BTree: typeof BTreeClass = 'default' in mod.default ? mod.default.default : mod.default;
/** The tree type. */
export type BTree<K, V> = BTreeClass<K, V>;
