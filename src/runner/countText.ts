/** Returns "1 row", "2 rows": the count and the noun, plural unless the count is 1. */
export function countOf(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}
