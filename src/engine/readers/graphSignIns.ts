/**
 * Mapping of Microsoft Graph signIn resources (`/auditLogs/signIns`, v1.0 and
 * beta, camelCase) to the Log Analytics sign-in tables. The Entra admin center
 * JSON download and the `properties` of Azure Monitor sign-in records use the
 * same field names.
 */
import { AAD_NON_INTERACTIVE_USER_SIGNIN_LOGS, SIGNIN_LOGS } from '../../schema/signInTables';
import type { TableSchema } from '../../schema/tables';
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

/** Returns whether a JSON record looks like a Graph signIn resource. */
export function isGraphSignIn(record: Readonly<Record<string, unknown>>): boolean {
  return 'createdDateTime' in record && ('userPrincipalName' in record || 'appDisplayName' in record);
}

/**
 * Returns the sign-in table of a Graph record: AADNonInteractiveUserSignInLogs
 * when isInteractive is false, SigninLogs when it is true, and the file's
 * default when the field is missing (v1.0 leaves it out of some records).
 */
export function graphSignInTable(record: Readonly<Record<string, unknown>>, fallback: TableSchema): TableSchema {
  if (record.isInteractive === false || record.isInteractive === 'false') {
    return AAD_NON_INTERACTIVE_USER_SIGNIN_LOGS;
  }
  if (record.isInteractive === true || record.isInteractive === 'true') {
    return SIGNIN_LOGS;
  }
  return fallback;
}

/**
 * Maps a Graph signIn record to column values of `table`. Objects stay
 * objects here: the row builder writes them as JSON text into the columns
 * that are text in that table.
 */
export function mapGraphSignIn(record: Readonly<Record<string, unknown>>, table: TableSchema): Record<string, unknown> {
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
  values.Category = table === SIGNIN_LOGS ? 'SignInLogs' : 'NonInteractiveUserSignInLogs';
  values.OperationName = 'Sign-in activity';
  values.Type = table.name;
  return values;
}
