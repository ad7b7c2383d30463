/**
 * Signature help for function calls. Kusto.Language has no signature-help
 * API, so the server finds the innermost open call before the cursor in the
 * block text, takes the function's signature from the service's quick info
 * (`bin(value, roundTo): datetime`) and marks the argument the cursor is in.
 */
import type { SignatureHelp, SignatureInformation } from 'vscode-languageserver/node';
import { quickInfoAt } from '../kusto/editor';
import type { TableSchema } from '../schema/tables';

interface OpenCall {
  /** Offset of the function name's first character. */
  readonly nameStart: number;
  /** Zero-based index of the argument that contains the cursor. */
  readonly argumentIndex: number;
}

const NAME_CHARACTER = /[A-Za-z0-9_]/;

/**
 * Scans backwards from `offset` for an unclosed `(` that follows a name,
 * counting the commas at that nesting level. NOTE: quotes are matched
 * naively, so an escaped quote inside a string can misplace the call.
 */
export function findOpenCall(text: string, offset: number): OpenCall | undefined {
  let depth = 0;
  let commas = 0;
  let quote: string | undefined;
  for (let index = offset - 1; index >= 0; index--) {
    const character = text[index];
    if (quote) {
      if (character === quote) {
        quote = undefined;
      }
      continue;
    }
    if (character === '"' || character === "'") {
      quote = character;
    } else if (character === ')' || character === ']') {
      depth++;
    } else if (character === '[') {
      if (depth > 0) {
        depth--;
      } else {
        // Inside an index such as x[i]: its commas are not the call's.
        commas = 0;
      }
    } else if (character === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      let nameStart = index;
      while (nameStart > 0 && NAME_CHARACTER.test(text[nameStart - 1])) {
        nameStart--;
      }
      if (nameStart === index) {
        // A bracketed expression, not a call: keep looking for an enclosing call.
        commas = 0;
        continue;
      }
      return { nameStart, argumentIndex: commas };
    } else if (character === ',' && depth === 0) {
      commas++;
    } else if (character === '|' || character === ';') {
      return undefined;
    }
  }
  return undefined;
}

/** Splits `name(a, [b], ...)` into the offsets of each parameter in the label. */
function parameterRanges(label: string): Array<[number, number]> {
  const open = label.indexOf('(');
  if (open < 0) {
    return [];
  }
  const ranges: Array<[number, number]> = [];
  let depth = 0;
  let start = open + 1;
  for (let index = open + 1; index < label.length; index++) {
    const character = label[index];
    if (character === '(' || character === '[') {
      depth++;
    } else if ((character === ')' || character === ']') && depth > 0) {
      depth--;
    } else if ((character === ',' || character === ')') && depth === 0) {
      const text = label.slice(start, index);
      const leading = text.length - text.trimStart().length;
      if (text.trim().length > 0) {
        ranges.push([start + leading, start + text.trimEnd().length]);
      }
      if (character === ')') {
        break;
      }
      start = index + 1;
    }
  }
  return ranges;
}

/** Returns the signature of the call around `offset` in a block, or null outside a call. */
export function signatureHelpAt(text: string, tables: readonly TableSchema[], offset: number): SignatureHelp | null {
  const call = findOpenCall(text, offset);
  if (!call) {
    return null;
  }
  const [label, ...documentation] = quickInfoAt(text, tables, call.nameStart);
  if (!label || !label.includes('(')) {
    return null;
  }
  const ranges = parameterRanges(label);
  // A trailing `...` repeats the parameter before it.
  const variadic = ranges.length > 1 && label.slice(...ranges[ranges.length - 1]) === '...';
  const lastIndex = variadic ? ranges.length - 2 : ranges.length - 1;
  const signature: SignatureInformation = {
    label,
    parameters: ranges.map((range) => ({ label: range })),
    ...(documentation.length > 0 ? { documentation: documentation.join('\n') } : {}),
  };
  return { signatures: [signature], activeSignature: 0, activeParameter: Math.max(0, Math.min(call.argumentIndex, lastIndex)) };
}
