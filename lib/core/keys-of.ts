/**
 * The ids of a table keyed by a closed set of them (a label per type, scope or reason), as the
 * non-empty tuple `z.enum` takes: `z.enum(keysOf(KEY_TYPES))`.
 */
export function keysOf<Key extends string>(table: Record<Key, unknown>): [Key, ...Key[]] {
  return Object.keys(table) as [Key, ...Key[]];
}
