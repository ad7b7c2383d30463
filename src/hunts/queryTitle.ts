/**
 * Short names of a query for trail steps and evidence file names. Pure, so it
 * is unit-tested.
 */
import { huntIdOf, leadingCommentLines } from './document';
import { findHunt } from './library';

/** Characters kept in a title. */
const MAX_TITLE_LENGTH = 80;

/** Comments that set Hunt Lens options (`// hunt:`, `// huntLens:`, `// connection:`) rather than describe the query. */
const DIRECTIVE = /^\/\/\s*(hunt|huntLens|connection)\s*:/i;

/** The parts a query can be named by: its library hunt, its first descriptive comment and its first line of code. */
export interface QueryNames {
  huntId?: string;
  huntTitle?: string;
  comment?: string;
  code: string;
}

/** Reads the names of a query from its leading comments and its first line of code. */
export function queryNames(query: string): QueryNames {
  const lines = query.split(/\r\n|\r|\n/);
  const leading = leadingCommentLines(lines);
  const comment = leading
    .map((line) => line.trim())
    .filter((line) => line !== '' && !DIRECTIVE.test(line))
    .map((line) => line.replace(/^\/\/+\s*/, '').trim())
    .find((text) => text !== '');
  const code = (lines.slice(leading.length).find((line) => line.trim() !== '') ?? '').trim();
  const huntId = huntIdOf(lines);
  const names: QueryNames = { code };
  if (huntId !== undefined) {
    names.huntId = huntId;
    const title = findHunt(huntId)?.title;
    if (title !== undefined) {
      names.huntTitle = title;
    }
  }
  if (comment !== undefined) {
    names.comment = comment;
  }
  return names;
}

/** Returns a step title: the hunt's title, else the query's first descriptive comment, else its first line of code, cut to 80 characters. */
export function queryTitle(query: string): string {
  const names = queryNames(query);
  const title = names.huntTitle ?? names.comment ?? names.code;
  return title.length > MAX_TITLE_LENGTH ? `${title.slice(0, MAX_TITLE_LENGTH - 1)}…` : title;
}
