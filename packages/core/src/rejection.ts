/**
 * Why a command was rejected (SPEC §1). A rejected command changes nothing and
 * produces one `Rejected` fact carrying its code.
 */
export type RejectionCode =
  | 'E_BAD_COMMAND'
  | 'E_FAMILY_NAME'
  | 'E_FAMILY_EXISTS'
  | 'E_FAMILY_SIZE'
  | 'E_UNKNOWN_FAMILY'
  | 'E_BAD_UNITS'
  | 'E_ID_IN_USE'
  | 'E_NOT_ALLOCATED'
  | 'E_OUT_OF_MEMORY';

/** Every rejection code, in the order SPEC §1 lists them. */
export const REJECTION_CODES: readonly RejectionCode[] = [
  'E_BAD_COMMAND',
  'E_FAMILY_NAME',
  'E_FAMILY_EXISTS',
  'E_FAMILY_SIZE',
  'E_UNKNOWN_FAMILY',
  'E_BAD_UNITS',
  'E_ID_IN_USE',
  'E_NOT_ALLOCATED',
  'E_OUT_OF_MEMORY',
];
