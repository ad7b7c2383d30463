/**
 * Recently used KustoCodeService objects, keyed by query text and schema, so
 * that completion and hover on a block reuse the syntax tree that the
 * diagnostics pass already bound instead of parsing the block again.
 */
import type { TableSchema } from '../schema/tables';
import type { KustoCodeService } from './bridge';

/** Small, because each entry keeps a bound syntax tree. */
const MAX_CACHED_SERVICES = 64;
const services = new Map<string, { tables: readonly TableSchema[]; service: KustoCodeService }>();

/** Returns the cached service for `text` bound against `tables`, if any, and marks it most recently used. */
export function cachedCodeService(text: string, tables: readonly TableSchema[]): KustoCodeService | undefined {
  const cached = services.get(text);
  if (!cached || cached.tables !== tables) {
    return undefined;
  }
  // Re-inserting keeps the map ordered from least to most recently used.
  services.delete(text);
  services.set(text, cached);
  return cached.service;
}

/** Stores a service, evicting the least recently used one beyond the limit. */
export function rememberCodeService(text: string, tables: readonly TableSchema[], service: KustoCodeService): void {
  services.delete(text);
  services.set(text, { tables, service });
  if (services.size > MAX_CACHED_SERVICES) {
    const oldest = services.keys().next().value;
    if (oldest !== undefined) {
      services.delete(oldest);
    }
  }
}
