import { renderHunt, type ParameterValues } from './render';
import { findHunt } from './library';
import { STAGE_LABELS, TARGET_LABELS, type Hunt, type HuntTarget } from './types';

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

/** `// huntLens: target=defenderXdr` (or `=logAnalytics`) among a file's leading comments. */
const TARGET_DIRECTIVE = /^\s*\/\/\s*huntLens:\s*target\s*=\s*(logAnalytics|defenderXdr)\s*$/;

/** Returns the file's leading lines that are blank or `//` comments, where file directives stand. */
export function leadingCommentLines(lines: readonly string[]): string[] {
  const leading: string[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('//')) {
      break;
    }
    leading.push(line);
  }
  return leading;
}

/** Returns the target that a directive in the file's leading comments names, or Log Analytics. */
export function documentTarget(lines: readonly string[]): HuntTarget {
  for (const line of leadingCommentLines(lines)) {
    const match = TARGET_DIRECTIVE.exec(line);
    if (match) {
      return match[1] as HuntTarget;
    }
  }
  return 'logAnalytics';
}

/**
 * Returns the target a block runs and binds against: its library hunt's
 * target when it is tagged `// hunt: <id>`, else the file's target.
 */
export function blockTarget(blockLines: readonly string[], fileTarget: HuntTarget): HuntTarget {
  const huntId = huntIdOf(blockLines);
  return (huntId ? findHunt(huntId)?.target : undefined) ?? fileTarget;
}
