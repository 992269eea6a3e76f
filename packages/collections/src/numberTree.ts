import { PersistentTree } from './persistentTree.js';
import { TreeNode, type EditToken } from './treeNode.js';

/** Index of `key` in ascending `keys`, or −(insertion point) − 1 when absent (binary search). */
export function searchNumbers(keys: readonly number[], key: number): number {
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = keys[mid]!;
    if (k < key) lo = mid + 1;
    else if (k > key) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}

/** A persistent sorted map with number keys (see `PersistentTree`). */
export class NumberTree<V> extends PersistentTree<number, V> {
  /** An empty tree, editable under `token` when given. */
  static empty<V>(token: EditToken | null = null): NumberTree<V> {
    return new NumberTree<V>(new TreeNode<number, V>([], [], null, token, false), 0, token);
  }

  protected search(keys: number[], key: number): number {
    return searchNumbers(keys, key);
  }

  protected make(root: TreeNode<number, V>, count: number, owner: EditToken | null): this {
    return new NumberTree<V>(root, count, owner) as this;
  }
}
