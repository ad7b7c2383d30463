/**
 * Rewrites the Kusto syntax kind names that some local engine messages carry
 * (`SearchOperator`, `MvExpandOperator`) as the KQL words a hunter types.
 * Pure, so it is unit-tested; the CLI and the extension host both apply it.
 */

/** Operators whose KQL word is not the kebab-case form of the kind name. */
const OPERATOR_WORDS: Readonly<Record<string, string>> = {
  Filter: 'where',
  GetSchema: 'getschema',
};

/** Returns the KQL word of an operator kind without its `Operator` suffix: `MvExpand` gives `mv-expand`. */
export function operatorWord(kind: string): string {
  return OPERATOR_WORDS[kind] ?? kind.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** Replaces `…Operator` kind names in a message with "the <word> operator". */
export function readableSyntaxNames(message: string): string {
  return message
    .replace(/\bThe tabular expression ([A-Z][A-Za-z]*)Operator\b/g, (_match, kind: string) => `The ${operatorWord(kind)} operator`)
    .replace(/\b([A-Z][A-Za-z]*)Operator\b/g, (_match, kind: string) => `the ${operatorWord(kind)} operator`);
}
