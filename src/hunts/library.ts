/**
 * The hunt library: every hunt Hunt Lens ships, in investigation order
 * (before the approval, the approval, after it), then the pivot hunts that
 * follow one user, IP address or session. The tree view, the palette
 * commands, the snippets and the tests all read hunts from here.
 */
import { AFTER_HUNTS } from './pack/after';
import { APPROVAL_HUNTS } from './pack/approval';
import { BEFORE_HUNTS } from './pack/before';
import { PIVOT_HUNTS } from './pack/pivots';
import type { Hunt } from './types';

export const HUNTS: readonly Hunt[] = [...BEFORE_HUNTS, ...APPROVAL_HUNTS, ...AFTER_HUNTS, ...PIVOT_HUNTS];

const huntsById = new Map(HUNTS.map((hunt) => [hunt.id, hunt]));

/** Returns the hunt with the given id, or undefined when the library has none. */
export function findHunt(id: string): Hunt | undefined {
  return huntsById.get(id);
}
