/**
 * @lmm/collections — persistent, structurally shared sorted maps: B+ trees keyed by numbers
 * or strings (`NumberTree`, `StringTree`), a first-fit index that knows the largest value
 * beneath each node (`FitTree`), and small copy-on-write sorted arrays (`SmallSortedMap`).
 * Reads never change a map; writes go through a handle made by `editable(token)` and copy
 * each node once per token (a transient), so old versions stay valid and share what did not
 * change.
 */
export type { ReadonlySortedMap, FirstFitIndex, SortedMapDiffVisitor } from './sortedMap.js';
export type { EditToken } from './treeNode.js';
export { PersistentTree } from './persistentTree.js';
export { NumberTree } from './numberTree.js';
export { StringTree } from './stringTree.js';
export { FitTree } from './fitTree.js';
export { SmallSortedMap } from './smallSortedMap.js';
