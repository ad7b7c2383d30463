/** Own-property access for records keyed by column names, which are log data. */

/**
 * Reads an own property. Column names are log data, and a column named
 * __proto__ or constructor must read as unset, not as Object.prototype.
 */
export function ownEntry<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Sets an own property, even for a key such as __proto__, whose plain assignment would replace the prototype. */
export function setOwnEntry<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
