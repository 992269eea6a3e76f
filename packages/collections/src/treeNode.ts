/**
 * Who may write a tree's nodes in place: a draft's edit token. Nodes and handles made under a
 * token carry it; anything else is copied before its first write under that token. A draft
 * takes a fresh token when it commits, which freezes everything made under the old one.
 */
export type EditToken = object;

/**
 * A B+ tree node. Leaves hold `keys` and `vals`; branches hold `kids`, with `keys[i]` a lower
 * bound of child i's keys, above every key of child i − 1 (so a branch's keys are sorted too).
 * One class for both, so every access site sees one shape.
 * @internal
 */
export class TreeNode<K, V> {
  constructor(
    public keys: K[],
    public vals: V[],
    public kids: TreeNode<K, V>[] | null,
    public owner: EditToken | null,
    /** True while `keys` is still the array of the node this one was copied from (copied on its first change). */
    public sharedKeys: boolean,
  ) {}

  /**
   * Capacity of a leaf's `keys` and `vals` when both were allocated together with room to
   * grow in place (0 when unknown: then the next insert allocates anew).
   */
  room = 0;
}

/**
 * A node of a tree that measures its values (`FitTree`): it also keeps the largest measure
 * beneath it. Its children are measured nodes too. Plain trees' nodes go without the field.
 * @internal
 */
export class MeasuredNode<K, V> extends TreeNode<K, V> {
  /** The largest measure of a value beneath this node; -Infinity when empty. */
  max = -Infinity;
}

/** A node's keys, ready to change in place: its own copy once it shared them. */
export function writableKeys<K, V>(node: TreeNode<K, V>): K[] {
  if (node.sharedKeys) {
    node.keys = node.keys.slice();
    node.sharedKeys = false;
    node.room = 0;
  }
  return node.keys;
}

/** The `vals` of every branch (branches hold no values; never written). */
export const NO_VALUES: never[] = [];
