import { renderHunt, type ParameterValues } from './render';
import { STAGE_LABELS, TARGET_LABELS, type Hunt } from './types';

/** The comment line that tags a block as a library hunt; CodeLens and pivots read it back. */
export const HUNT_TAG = '// hunt:';

/**
 * Formats a hunt as a KQL block: a header of `//` comments (title, stage,
 * MITRE technique, target, the tag with the hunt id) and the rendered query.
 */
export function huntBlock(hunt: Hunt, values: ParameterValues = {}): string {
  const header = [
    `// ${hunt.title}`,
    `// ${STAGE_LABELS[hunt.stage]} · MITRE ATT&CK ${hunt.mitre} · ${TARGET_LABELS[hunt.target]}`,
    `${HUNT_TAG} ${hunt.id}`,
  ];
  return `${header.join('\n')}\n${renderHunt(hunt, values).trimEnd()}\n`;
}

/** Reads the hunt id from a block's header, or undefined when the block is not a library hunt. */
export function huntIdOf(blockLines: readonly string[]): string | undefined {
  for (const line of blockLines) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('//')) {
      return undefined;
    }
    if (trimmed.startsWith(HUNT_TAG)) {
      return trimmed.slice(HUNT_TAG.length).trim() || undefined;
    }
  }
  return undefined;
}
