/**
 * Pivot kinds and the queries they open. A pivot is a library hunt with its
 * parameters filled from a flagged entity. The values reach the KQL text only
 * through renderHunt, which formats each one with src/hunts/literals.ts.
 * Pure, so it is unit-tested without VS Code.
 */
import { huntBlock } from '../hunts/document';
import { findHunt } from '../hunts/library';
import type { ParameterValues } from '../hunts/render';
import type { Hunt } from '../hunts/types';
import { entityTime, type FlaggedEntity } from './entities';
import { coveringTimespan, type TimeRange } from './runRange';

export type PivotKind =
  | 'activityAfterApproval'
  | 'mfaMethods'
  | 'inboxRules'
  | 'signInsFromIp'
  | 'userSignIns'
  | 'nonInteractiveSession';

interface PivotDefinition {
  kind: PivotKind;
  /** Menu label, after "Pivot to…". */
  label: string;
  huntId: string;
  /** The entity value the pivot cannot run without. */
  requires: 'userPrincipalName' | 'ipAddress' | 'userOrSession';
}

/** Every pivot, in menu order. The first is the default of a lens click. */
export const PIVOTS: readonly PivotDefinition[] = [
  { kind: 'activityAfterApproval', label: 'Activity after the approval', huntId: 'activity-after-approval', requires: 'userPrincipalName' },
  { kind: 'mfaMethods', label: 'MFA methods registered', huntId: 'mfa-methods-registered-in-range', requires: 'userPrincipalName' },
  { kind: 'inboxRules', label: 'Inbox rules', huntId: 'inbox-rules-in-range', requires: 'userPrincipalName' },
  { kind: 'signInsFromIp', label: 'Sign-ins from this IP', huntId: 'sign-ins-from-ip', requires: 'ipAddress' },
  { kind: 'userSignIns', label: 'All sign-ins of this user', huntId: 'sign-ins-of-user', requires: 'userPrincipalName' },
  { kind: 'nonInteractiveSession', label: 'The session in non-interactive sign-ins', huntId: 'session-non-interactive-sign-ins', requires: 'userOrSession' },
];

const pivotsByKind = new Map(PIVOTS.map((pivot) => [pivot.kind, pivot]));

export function isPivotKind(value: unknown): value is PivotKind {
  return typeof value === 'string' && pivotsByKind.has(value as PivotKind);
}

export function pivotDefinition(kind: PivotKind): PivotDefinition {
  return pivotsByKind.get(kind)!;
}

/** Returns the pivots an entity has the values for. */
export function availablePivots(entity: FlaggedEntity): PivotDefinition[] {
  return PIVOTS.filter((pivot) => {
    switch (pivot.requires) {
      case 'userPrincipalName':
        return entity.userPrincipalName !== undefined;
      case 'ipAddress':
        return entity.ipAddress !== undefined;
      case 'userOrSession':
        return entity.userPrincipalName !== undefined || entity.sessionId !== undefined;
    }
  });
}

/**
 * Returns the pivot a lens click opens: the first one the entity has values
 * for, skipping the hunt that produced the entity, so a pivot from a pivot's
 * result moves on instead of repeating the same query.
 */
export function defaultPivot(entity: FlaggedEntity, sourceHuntId: string | undefined): PivotKind | undefined {
  const available = availablePivots(entity);
  return (available.find((pivot) => pivot.huntId !== sourceHuntId) ?? available[0])?.kind;
}

export interface PivotOptions {
  /** How long after the entity's time the pivot searches, such as `24h`. */
  window: string;
  /** The pivot hunt's lookback, which it uses only when its startTime is reset to 1970-01-01, such as `7d`. */
  lookback: string;
  /**
   * The time range of the run the entity's row came from (see runTimeRange).
   * An entity without a time of its own searches this whole range, so a
   * pivot from a pivot's row keeps the time range of the chain.
   */
  runRange: TimeRange;
}

export interface PivotQuery {
  kind: PivotKind;
  hunt: Hunt;
  values: ParameterValues;
  /** The KQL block to open: the hunt's header comments and the rendered query. */
  text: string;
}

/**
 * Builds the pivot query for an entity. Throws a RangeError that names the
 * missing value when the entity lacks what the pivot needs, and one that
 * names the parameter when a value is not valid for its type.
 */
export function buildPivot(kind: PivotKind, entity: FlaggedEntity, options: PivotOptions): PivotQuery {
  const definition = pivotDefinition(kind);
  if (!availablePivots(entity).includes(definition)) {
    throw new RangeError(`Cannot pivot to "${definition.label}": the flagged row has no ${requirementLabel(definition.requires)}.`);
  }
  const hunt = findHunt(definition.huntId);
  if (!hunt) {
    throw new Error(`The hunt library has no hunt ${definition.huntId} for the pivot ${kind}.`);
  }
  const values = pivotValues(hunt, entity, options);
  return { kind, hunt, values, text: huntBlock(hunt, values) };
}

/** Fills the hunt parameters a pivot sets; the others keep their defaults. */
function pivotValues(hunt: Hunt, entity: FlaggedEntity, options: PivotOptions): ParameterValues {
  const candidates: ParameterValues = {
    userPrincipalName: entity.userPrincipalName ?? '',
    ipAddress: entity.ipAddress ?? '',
    sessionId: entity.sessionId ?? '',
    window: options.window,
    lookback: options.lookback,
  };
  const time = entityTime(entity);
  if (time !== undefined) {
    candidates.startTime = time;
  } else {
    candidates.startTime = options.runRange.start;
    const length = Date.parse(options.runRange.end) - Date.parse(options.runRange.start);
    if (length > 0) {
      candidates.window = coveringTimespan(length);
    }
  }
  const names = new Set(hunt.parameters.map((parameter) => parameter.name));
  return Object.fromEntries(Object.entries(candidates).filter(([name]) => names.has(name)));
}

function requirementLabel(requirement: PivotDefinition['requires']): string {
  switch (requirement) {
    case 'userPrincipalName':
      return 'user principal name';
    case 'ipAddress':
      return 'IP address';
    case 'userOrSession':
      return 'user principal name or session id';
  }
}
