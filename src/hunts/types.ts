/**
 * The shape of a hunt in the library. Every consumer (snippets, palette
 * commands, the tree view, the query runner, pivots, the language server and
 * the local engine) reads hunts through these types, so a hunt is written once.
 */

/** Where a hunt sits in an MFA-fatigue investigation. */
export type HuntStage = 'before' | 'approval' | 'after';

/** The service a hunt's KQL is written for. Table and column names differ between them. */
export type HuntTarget = 'logAnalytics' | 'defenderXdr';

/** The kinds of entity a pivot can start from. */
export type EntityKind =
  | 'userPrincipalName'
  | 'userObjectId'
  | 'ipAddress'
  | 'approvalTime'
  | 'lastSeen'
  | 'sessionId'
  | 'correlationId';

/**
 * A typed hunt parameter. The KQL text refers to it as `{{name}}`, and the
 * renderer turns the value into a KQL literal of the declared type, so a
 * value is never pasted into the query as raw text.
 */
export type HuntParameter =
  | { name: string; description: string; type: 'timespan'; default: string }
  | { name: string; description: string; type: 'long'; default: number; min?: number; max?: number }
  | { name: string; description: string; type: 'string'; default: string }
  | { name: string; description: string; type: 'datetime'; default: string };

/** An output column that names an entity a pivot can start from. */
export interface EntityColumn {
  column: string;
  kind: EntityKind;
}

export interface Hunt {
  /** Stable identifier, kebab-case; used in commands, snippets and the trail. */
  id: string;
  title: string;
  description: string;
  stage: HuntStage;
  /** MITRE ATT&CK technique id, for example `T1621`. */
  mitre: string;
  /** Tables the query reads, used to pick schemas for validation. */
  tables: string[];
  target: HuntTarget;
  parameters: HuntParameter[];
  entities: EntityColumn[];
  /** KQL with `{{parameter}}` placeholders. */
  query: string;
}

export const STAGE_LABELS: Record<HuntStage, string> = {
  before: 'Before the approval',
  approval: 'The approval',
  after: 'After the approval',
};

export const TARGET_LABELS: Record<HuntTarget, string> = {
  logAnalytics: 'Log Analytics',
  defenderXdr: 'Defender XDR advanced hunting',
};
