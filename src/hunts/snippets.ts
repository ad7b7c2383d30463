/**
 * Builds the VS Code snippets file (`snippets/kql.json`) from the hunt
 * library. `scripts/generate-snippets.mjs` writes the file, and a unit test
 * fails when the file and the library disagree.
 */
import { HUNT_TAG } from './document';
import { parameterLiteral } from './render';
import { STAGE_LABELS, TARGET_LABELS, type Hunt } from './types';

/** One entry of a VS Code snippets file. */
export interface KqlSnippet {
  prefix: string;
  description: string;
  body: string[];
}

/** A VS Code snippets file: snippet name to snippet. */
export type KqlSnippetFile = Record<string, KqlSnippet>;

/** The `{{name}}` placeholders of a hunt query, as render.ts reads them. */
const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9_]*)\}\}/g;

/**
 * Builds the snippets for `hunts`, keyed by hunt title, with prefix
 * `hunt-<id>`. Each parameter becomes a tabstop whose placeholder text is its
 * default literal, such as `${1:7d}`. Tabstops are numbered in order of first
 * use, and a parameter used twice shares its tabstop.
 */
export function buildSnippets(hunts: readonly Hunt[]): KqlSnippetFile {
  const snippets: KqlSnippetFile = {};
  for (const hunt of hunts) {
    if (Object.hasOwn(snippets, hunt.title)) {
      throw new Error(`Two hunts are titled "${hunt.title}", but snippet names must be unique: rename one of them.`);
    }
    snippets[hunt.title] = {
      prefix: `hunt-${hunt.id}`,
      description: `${hunt.description} (${STAGE_LABELS[hunt.stage]}, MITRE ATT&CK ${hunt.mitre}, ${TARGET_LABELS[hunt.target]})`,
      body: snippetBody(hunt),
    };
  }
  return snippets;
}

/** Builds the body lines: the hunt's header comments, then its query with parameters as tabstops. */
function snippetBody(hunt: Hunt): string[] {
  const header = [
    `// ${hunt.title}`,
    `// ${STAGE_LABELS[hunt.stage]} · MITRE ATT&CK ${hunt.mitre} · ${TARGET_LABELS[hunt.target]}`,
    `${HUNT_TAG} ${hunt.id}`,
  ].map(escapeSnippetText);
  return [...header, ...queryWithTabstops(hunt).split('\n')];
}

function queryWithTabstops(hunt: Hunt): string {
  const parameters = new Map(hunt.parameters.map((parameter) => [parameter.name, parameter]));
  const tabstops = new Map<string, number>();
  const query = hunt.query.trimEnd();
  let text = '';
  let last = 0;
  for (const match of query.matchAll(PLACEHOLDER)) {
    const name = match[1];
    const parameter = parameters.get(name);
    if (!parameter) {
      throw new RangeError(`Hunt ${hunt.id} uses {{${name}}}, which is not one of its parameters.`);
    }
    if (!tabstops.has(name)) {
      tabstops.set(name, tabstops.size + 1);
    }
    text += escapeSnippetText(query.slice(last, match.index)) + tabstop(tabstops.get(name)!, parameterLiteral(parameter, parameter.default));
    last = match.index + match[0].length;
  }
  return text + escapeSnippetText(query.slice(last));
}

/**
 * Formats one tabstop whose placeholder is a default literal. For a string
 * literal, the tabstop covers only the text between the quotes, so what the
 * user types stays inside them.
 */
function tabstop(index: number, literal: string): string {
  const quoted = /^"(.*)"$/s.exec(literal);
  if (quoted) {
    const inner = quoted[1] ?? '';
    return inner === '' ? `"\${${index}}"` : `"\${${index}:${escapeSnippetText(inner)}}"`;
  }
  return `\${${index}:${escapeSnippetText(literal)}}`;
}

/**
 * Escapes text for VS Code snippet syntax, where `$` starts a tabstop or
 * variable, `}` ends a placeholder and `\` escapes those two and itself.
 */
export function escapeSnippetText(text: string): string {
  return text.replace(/[\\$}]/g, (ch) => `\\${ch}`);
}
