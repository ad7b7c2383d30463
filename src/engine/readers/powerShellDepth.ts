/**
 * Sign-in records that PowerShell's `ConvertTo-Json` cut at its -Depth limit
 * (2 by default). Below that depth it writes each object or array as the
 * text of its ToString(): a PSCustomObject as `@{ErrorCode=500121; ...}`, a
 * hashtable as "System.Collections.Hashtable", an array as "System.Object[]"
 * and an SDK model object as its type name. The `@{...}` form is read back
 * into an object; the type names hold no data, so those values become null.
 */
import type { FileProblem } from './unreadableDatetimes';
import { camelCaseName } from './graphSignIns';
import { isObject } from './jsonRecords';

/** Graph signIn fields whose value is an object or an array, in camelCase. */
const OBJECT_FIELDS: ReadonlySet<string> = new Set([
  'status',
  'location',
  'deviceDetail',
  'mfaDetail',
  'authenticationDetails',
  'appliedConditionalAccessPolicies',
  'appliedEventListeners',
  'authenticationContextClassReferences',
  'authenticationMethodsUsed',
  'authenticationProcessingDetails',
  'authenticationRequirementPolicies',
  'networkLocationDetails',
  'privateLinkDetails',
  'riskEventTypes',
  'riskEventTypes_v2',
  'sessionLifetimePolicies',
  'signInEventTypes',
  'tokenProtectionStatusDetails',
  'managedServiceIdentity',
]);

/**
 * The Graph SDK's AdditionalProperties bag. Sign-in objects seldom carry
 * entries in it, so a cut bag is dropped without a report.
 */
const PROPERTY_BAG = 'AdditionalProperties';

/** Type names that ToString() returns: "System.Object[]", "System.Collections.Generic.Dictionary`2[System.String,System.Object]", "Microsoft.Graph.PowerShell.Models.MicrosoftGraphAuthenticationDetail" (space-separated for each element of an array). */
const TYPE_NAMES = /^(?:(?:System|Microsoft)\.[\w.`+]+(?:\[[\w.,`+ []*\]*)? ?)+$/;

/** A property name followed by "=" at a position in `@{...}` text. */
const PROPERTY_START = /[A-Za-z_@][\w.@-]*=/y;

/** Maximum nesting of `@{...}` texts read back, so hostile text cannot exhaust the stack. */
const MAX_NESTING = 16;

/**
 * Reads `@{Key=Value; Key2=Value2}` into an object, or returns undefined when
 * the text is not in that form or its braces do not balance. A "; " starts a
 * new property only when a name and "=" follow it, outside nested braces.
 * Values are text, except whole numbers without a leading zero, True and
 * False (PowerShell's booleans), empty values (null) and nested `@{...}`.
 * Type names such as "System.Object[]" stay text (see isTypeNameText).
 */
export function parsePowerShellObjectText(text: string, nesting = 0): Record<string, unknown> | undefined {
  if (!text.startsWith('@{') || !text.endsWith('}') || nesting > MAX_NESTING) {
    return undefined;
  }
  const body = text.slice(2, -1);
  const entries = splitProperties(body);
  if (entries === undefined) {
    return undefined;
  }
  const result: Record<string, unknown> = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    PROPERTY_START.lastIndex = 0;
    if (equals < 0 || !PROPERTY_START.test(entry)) {
      return undefined;
    }
    result[entry.slice(0, equals)] = propertyValue(entry.slice(equals + 1), nesting);
  }
  return result;
}

/** Splits the body of `@{...}` into "Key=Value" entries, or returns undefined when its braces do not balance. */
function splitProperties(body: string): string[] | undefined {
  if (body.trim() === '') {
    return [];
  }
  const entries: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < body.length; index += 1) {
    const character = body[index];
    if (character === '{') {
      depth += 1;
    } else if (character === '}') {
      depth -= 1;
      if (depth < 0) {
        return undefined;
      }
    } else if (character === ';' && depth === 0 && body[index + 1] === ' ') {
      PROPERTY_START.lastIndex = index + 2;
      if (PROPERTY_START.test(body)) {
        entries.push(body.slice(start, index));
        start = index + 2;
      }
    }
  }
  if (depth !== 0) {
    return undefined;
  }
  entries.push(body.slice(start));
  return entries;
}

function propertyValue(text: string, nesting: number): unknown {
  if (text === '') {
    return null;
  }
  if (/^-?(?:0|[1-9]\d{0,14})$/.test(text)) {
    return Number(text);
  }
  if (text === 'True' || text === 'False') {
    return text === 'True';
  }
  return parsePowerShellObjectText(text, nesting + 1) ?? text;
}

/** Returns whether text is a type name that ToString() wrote in place of an object or array. */
export function isTypeNameText(text: string): boolean {
  return TYPE_NAMES.test(text.trim());
}

/**
 * Restores the object fields of one file's Graph sign-in records that
 * ConvertTo-Json cut, and reports the cut once per file with the fields it
 * touched and the fix.
 *
 * NOTE: a text value inside an object field (a device's display name, say)
 * that is itself in the `@{Key=Value}` form is read as an object too,
 * because the file does not show whether PowerShell or a user wrote it.
 */
export class PowerShellDepthCuts {
  private readonly restored = new Set<string>();
  private readonly lost = new Map<string, string>();
  private firstLine = 0;

  constructor(private readonly report: (problem: FileProblem) => void) {}

  /** Returns the record with its cut object fields read back, or the record itself when none was cut. */
  restore(record: Readonly<Record<string, unknown>>, line: number): Readonly<Record<string, unknown>> {
    let copy: Record<string, unknown> | undefined;
    for (const [key, value] of Object.entries(record)) {
      if (!OBJECT_FIELDS.has(camelCaseName(key))) {
        continue;
      }
      const restored = this.restoreValue(value, key, line);
      if (restored !== value) {
        copy ??= { ...record };
        copy[key] = restored;
      }
    }
    return copy ?? record;
  }

  /** Reports the cut fields of the file, once, after its last record. */
  finish(): void {
    if (this.restored.size === 0 && this.lost.size === 0) {
      return;
    }
    const parts: string[] = [];
    if (this.restored.size > 0) {
      const fields = [...this.restored].slice(0, 8).join(', ');
      parts.push(`The fields ${fields} were read back from PowerShell's "@{Key=Value; ...}" text, with text values`);
    }
    if (this.lost.size > 0) {
      const fields = [...this.lost].slice(0, 8).map(([field, text]) => `${field} ("${text.slice(0, 60)}")`).join(', ');
      parts.push(`The fields ${fields} hold only a .NET type name in place of their data, which cannot be recovered, so they are empty (null)`);
    }
    if ([...this.lost.keys()].some((field) => camelCaseName(field) === 'status')) {
      parts.push('Without Status, ResultType is empty and hunts that filter on it return no rows');
    }
    this.report({
      line: this.firstLine,
      kind: 'cell',
      message:
        'this file was written by ConvertTo-Json with too small a -Depth, so nested objects were cut to text. ' +
        `${parts.join('. ')}. Export again with ConvertTo-Json -Depth 10`,
    });
  }

  private restoreValue(value: unknown, path: string, line: number): unknown {
    if (typeof value === 'string') {
      return this.restoreText(value, path, line);
    }
    if (Array.isArray(value)) {
      const items = value.map((item, index) => this.restoreValue(item, `${path}[${index}]`, line));
      return items.every((item, index) => item === value[index]) ? value : items;
    }
    if (!isObject(value)) {
      return value;
    }
    let copy: Record<string, unknown> | undefined;
    for (const [key, inner] of Object.entries(value)) {
      if (key === PROPERTY_BAG && typeof inner === 'string' && isTypeNameText(inner)) {
        copy ??= { ...value };
        delete copy[key];
        continue;
      }
      const restored = this.restoreValue(inner, `${path}.${key}`, line);
      if (restored !== inner) {
        copy ??= { ...value };
        copy[key] = restored;
      }
    }
    return copy ?? value;
  }

  private restoreText(text: string, path: string, line: number): unknown {
    const parsed = parsePowerShellObjectText(text);
    if (parsed !== undefined) {
      this.note(line);
      this.restored.add(fieldName(path));
      // Type names inside the text are cut values too.
      return this.restoreValue(parsed, path, line);
    }
    if (isTypeNameText(text)) {
      this.note(line);
      this.lost.set(fieldName(path), this.lost.get(fieldName(path)) ?? text);
      return null;
    }
    return text;
  }

  private note(line: number): void {
    if (this.firstLine === 0) {
      this.firstLine = line;
    }
  }
}

/** Returns a value's path without array indexes, so every element of an array is one field in the report. */
function fieldName(path: string): string {
  return path.replace(/\[\d+\]/g, '');
}
