import { PersistentTree } from './persistentTree.js';
import { TreeNode, type EditToken } from './treeNode.js';

/** A persistent sorted map with string keys, in UTF-16 code unit order (see `PersistentTree`). */
export class StringTree<V> extends PersistentTree<string, V> {
  /** An empty tree, editable under `token` when given. */
  static empty<V>(token: EditToken | null = null): StringTree<V> {
    return new StringTree<V>(new TreeNode<string, V>([], [], null, token, false), 0, token);
  }

  // The same search as `searchNumbers` (numberTree.ts), written again for strings: one function for both
  // would see both key types at its `<` and compare through V8's generic (slower) path.
  protected search(keys: string[], key: string): number {
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

  protected make(root: TreeNode<string, V>, count: number, owner: EditToken | null): this {
    return new StringTree<V>(root, count, owner) as this;
  }
}
