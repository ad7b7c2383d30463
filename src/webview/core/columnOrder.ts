/**
 * Column order chosen by the user, kept in the webview state as column names
 * so it survives a reload. Names the table lacks are ignored, and columns the
 * saved order lacks (a new column in a re-run) follow in the result's order.
 */

/** Returns the table column indexes in display order. A name that occurs twice in the table matches its columns in turn. */
export function displayOrder(names: readonly string[], saved: readonly string[] | undefined): number[] {
  const used = new Set<number>();
  const order: number[] = [];
  for (const name of saved ?? []) {
    const index = names.findIndex((candidate, position) => candidate === name && !used.has(position));
    if (index >= 0) {
      used.add(index);
      order.push(index);
    }
  }
  names.forEach((_name, index) => {
    if (!used.has(index)) {
      order.push(index);
    }
  });
  return order;
}

/**
 * Returns `order` (columns in display order) with the entry at position
 * `from` moved next to the one at `target`: before it, or after it. Returns
 * a copy of the order unchanged when a position is out of range or `from` equals `target`.
 */
export function moveColumn<T>(order: readonly T[], from: number, target: number, place: 'before' | 'after'): T[] {
  const result = [...order];
  if (from === target || !(from in result) || !(target in result)) {
    return result;
  }
  const [moved] = result.splice(from, 1);
  const targetAfterRemoval = target > from ? target - 1 : target;
  result.splice(place === 'before' ? targetAfterRemoval : targetAfterRemoval + 1, 0, moved);
  return result;
}
