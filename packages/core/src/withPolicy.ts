import { HeapDraft } from './draft.js';
import type { Policy } from './policy.js';
import type { HeapState } from './state.js';

/**
 * The same heap with the commands that follow run under `policy` (a what-if branch, SPEC §5
 * `run --switch`): equal to `state` but for its `policy` and the walk index the policy needs,
 * built from the free blocks, O(free blocks). `state` itself when the policy is the same.
 */
export function withPolicy(state: HeapState, policy: Policy): HeapState {
  if (state.policy === policy) return state;
  const draft = new HeapDraft(state);
  draft.setPolicy(policy);
  return draft.commit();
}
