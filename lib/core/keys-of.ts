/**
 * The ids of a table keyed by a closed set of them (a label per type, scope or reason), as the
 * non-empty tuple `z.enum` takes: `z.enum(keysOf(KEY_TYPES))`.
 */
export function keysOf<Key extends string>(table: Record<Key, unknown>): [Key, ...Key[]] {
  return Object.keys(table) as [Key, ...Key[]];
}

/** A table of labels (or of entries with a label) as the choices a select or radio group lists, in the table's order. */
export function choicesOf<Key extends string>(table: Record<Key, string | { label: string }>): Array<{ id: Key; label: string }> {
  return keysOf(table).map((id) => {
    const entry: string | { label: string } = table[id];
    return { id, label: typeof entry === "string" ? entry : entry.label };
  });
}
