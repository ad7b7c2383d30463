/**
 * Mapping of Microsoft Graph signIn resources (`/auditLogs/signIns`, v1.0 and
 * beta, camelCase) to the Log Analytics sign-in tables. The Entra admin center
 * JSON download and the `properties` of Azure Monitor sign-in records use the
 * same field names.
 */
import { AAD_NON_INTERACTIVE_USER_SIGNIN_LOGS, SIGNIN_LOGS } from '../../schema/signInTables';
import type { TableSchema } from '../../schema/tables';
import { datetimeMs, type AttemptKeys } from './attemptKeys';
import { isObject } from './jsonRecords';
import { scalarText } from './rows';

/** Graph field and the Log Analytics column it fills, where the names differ by more than case. */
const RENAMED_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['ipAddress', 'IPAddress'],
  ['resourceId', 'ResourceIdentity'],
  ['riskEventTypes_v2', 'RiskEventTypes_V2'],
  ['appliedConditionalAccessPolicies', 'ConditionalAccessPolicies'],
  ['location', 'LocationDetails'],
  ['ipAddressFromResourceProvider', 'IPAddressFromResourceProvider'],
];

/** Graph fields whose column has the same name with the first letter in upper case. */
const SAME_NAME_FIELDS = [
  'id',
  'createdDateTime',
  'userDisplayName',
  'userPrincipalName',
  'userId',
  'appId',
  'appDisplayName',
  'clientAppUsed',
  'correlationId',
  'conditionalAccessStatus',
  'originalRequestId',
  'isInteractive',
  'riskDetail',
  'riskLevelAggregated',
  'riskLevelDuringSignIn',
  'riskState',
  'riskEventTypes',
  'resourceDisplayName',
  'resourceTenantId',
  'homeTenantId',
  'userType',
  'authenticationRequirement',
  'authenticationRequirementPolicies',
  'authenticationProtocol',
  'tokenIssuerType',
  'tokenIssuerName',
  'uniqueTokenIdentifier',
  'sessionId',
  'autonomousSystemNumber',
  'userAgent',
  'crossTenantAccessType',
  'flaggedForReview',
  'alternateSignInName',
  'servicePrincipalId',
  'servicePrincipalName',
  'signInIdentifier',
  'signInIdentifierType',
  'networkLocationDetails',
  'authenticationProcessingDetails',
  'authenticationMethodsUsed',
  'sessionLifetimePolicies',
  'authenticationContextClassReferences',
  'appliedEventListeners',
  'status',
  'deviceDetail',
  'mfaDetail',
  'authenticationDetails',
  'signInEventTypes',
];

const FIELD_TO_COLUMN: ReadonlyMap<string, string> = new Map([
  ...SAME_NAME_FIELDS.map((field) => [field, field[0].toUpperCase() + field.slice(1)] as const),
  ...RENAMED_FIELDS,
]);

/** Returns whether a JSON record looks like a Graph signIn resource, in camelCase or PowerShell's PascalCase. */
export function isGraphSignIn(record: Readonly<Record<string, unknown>>): boolean {
  return (
    ('createdDateTime' in record && ('userPrincipalName' in record || 'appDisplayName' in record)) ||
    (isPowerShellSignIn(record) && ('UserPrincipalName' in record || 'AppDisplayName' in record))
  );
}

/**
 * Whether a record has PowerShell's PascalCase Graph names. Log Analytics
 * sign-in records share names such as CreatedDateTime but always carry
 * TimeGenerated, which Graph records lack.
 */
function isPowerShellSignIn(record: Readonly<Record<string, unknown>>): boolean {
  return 'CreatedDateTime' in record && !('createdDateTime' in record) && !('TimeGenerated' in record);
}

/**
 * Returns the record with Graph's camelCase names when it was written by
 * PowerShell: `ConvertTo-Json` of the Graph SDK's and the AzureAD module's
 * sign-in objects names every property in PascalCase (`CreatedDateTime`,
 * `Status.ErrorCode`) and adds an `AdditionalProperties` bag to each object.
 * The bag's entries are merged into their object. Other records are returned
 * as they are.
 */
export function graphFieldNames(record: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  return isPowerShellSignIn(record) ? (camelCased(record) as Record<string, unknown>) : record;
}

/**
 * Returns a PascalCase name in camelCase as Graph writes it: the leading
 * capitals are lowered, except the last one when a lower-case letter follows
 * it, so `IPAddress` becomes `ipAddress`, `Id` becomes `id` and `ID` becomes `id`.
 */
export function camelCaseName(name: string): string {
  let capitals = 0;
  while (capitals < name.length && name[capitals] >= 'A' && name[capitals] <= 'Z') {
    capitals += 1;
  }
  if (capitals === 0) {
    return name;
  }
  const lowered = capitals > 1 && capitals < name.length && /[a-z]/.test(name[capitals]) ? capitals - 1 : capitals;
  return name.slice(0, lowered).toLowerCase() + name.slice(lowered);
}

function camelCased(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(camelCased);
  }
  if (!isObject(value)) {
    return value;
  }
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'AdditionalProperties' && isObject(inner)) {
      for (const [extraKey, extra] of Object.entries(inner)) {
        result[extraKey] ??= camelCased(extra);
      }
      continue;
    }
    result[camelCaseName(key)] = camelCased(inner);
  }
  return result;
}

/**
 * Returns the sign-in table of a Graph record: AADNonInteractiveUserSignInLogs
 * when isInteractive is false, SigninLogs when it is true, and the file's
 * default when the field is missing (v1.0 leaves it out of some records).
 */
export function graphSignInTable(record: Readonly<Record<string, unknown>>, fallback: TableSchema): TableSchema {
  const isInteractive = record.isInteractive ?? record.IsInteractive;
  if (isInteractive === false || isInteractive === 'false') {
    return AAD_NON_INTERACTIVE_USER_SIGNIN_LOGS;
  }
  if (isInteractive === true || isInteractive === 'true') {
    return SIGNIN_LOGS;
  }
  return fallback;
}

/**
 * Maps a Graph signIn record to column values of `table`. Objects stay
 * objects here: the row builder writes them as JSON text into the columns
 * that are text in that table.
 */
export function mapGraphSignIn(source: Readonly<Record<string, unknown>>, table: TableSchema, attempts?: AttemptKeys): Record<string, unknown> {
  const record = graphFieldNames(source);
  const values: Record<string, unknown> = {};
  for (const field in record) {
    const column = FIELD_TO_COLUMN.get(field);
    if (column !== undefined) {
      values[column] = record[field];
    }
  }
  // The time column and the flattened result fields that Log Analytics adds.
  values.TimeGenerated = record.createdDateTime;
  const status = isObject(record.status) ? record.status : undefined;
  if (status && status.errorCode !== undefined && status.errorCode !== null) {
    // ResultType is text in Log Analytics: "0", "500121".
    values.ResultType = scalarText(status.errorCode);
    values.ResultDescription = status.failureReason ?? null;
  }
  const location = isObject(record.location) ? record.location : undefined;
  if (location) {
    values.Location = location.countryOrRegion ?? null;
  }
  values.ProcessingTimeInMilliseconds = record.processingTimeInMilliseconds;
  values.ProcessingTimeInMs = record.processingTimeInMilliseconds;
  values.Identity = record.userDisplayName;
  if (values.OriginalRequestId === undefined || values.OriginalRequestId === null || values.OriginalRequestId === '') {
    // Graph v1.0 has no originalRequestId. Without a key per attempt, every
    // row would count as one and the same attempt, hiding a prompt storm.
    values.OriginalRequestId = attemptKey(record, status, attempts);
  }
  values.Category = table === SIGNIN_LOGS ? 'SignInLogs' : 'NonInteractiveUserSignInLogs';
  values.OperationName = 'Sign-in activity';
  values.Type = table.name;
  return values;
}

/** Returns the attempt key of a Graph record without originalRequestId: its own id, or a shared key from `attempts`. */
function attemptKey(record: Readonly<Record<string, unknown>>, status: Readonly<Record<string, unknown>> | undefined, attempts: AttemptKeys | undefined): string {
  const requestId = scalarText(record.id) ?? '';
  if (!attempts) {
    return requestId;
  }
  return attempts.keyOfFields({
    requestId,
    time: datetimeMs(record.createdDateTime),
    user: scalarText(record.userPrincipalName) ?? '',
    correlationId: scalarText(record.correlationId) ?? '',
    errorCode: scalarText(status?.errorCode) ?? '',
  });
}
