/**
 * Mapping of Entra admin center sign-in downloads (CSV, display-name headers)
 * to the Log Analytics sign-in tables, and the auth-details CSV that the
 * download writes beside the interactive sign-ins.
 */
import { AAD_NON_INTERACTIVE_USER_SIGNIN_LOGS, SIGNIN_LOGS } from '../../schema/signInTables';
import type { TableSchema } from '../../schema/tables';

/** Normalized header (see normalizeHeader) and the column it fills directly. */
const DIRECT_COLUMNS: ReadonlyMap<string, string> = new Map([
  ['date (utc)', 'TimeGenerated'],
  ['request id', 'Id'],
  ['user agent', 'UserAgent'],
  ['correlation id', 'CorrelationId'],
  ['user id', 'UserId'],
  ['user', 'UserDisplayName'],
  ['username', 'UserPrincipalName'],
  ['user type', 'UserType'],
  ['cross tenant access type', 'CrossTenantAccessType'],
  ['authentication protocol', 'AuthenticationProtocol'],
  ['unique token identifier', 'UniqueTokenIdentifier'],
  ['application', 'AppDisplayName'],
  ['application id', 'AppId'],
  ['resource', 'ResourceDisplayName'],
  ['resource id', 'ResourceIdentity'],
  ['resource tenant id', 'ResourceTenantId'],
  ['home tenant id', 'HomeTenantId'],
  ['ip address', 'IPAddress'],
  ['ip address (seen by resource)', 'IPAddressFromResourceProvider'],
  ['sign-in error code', 'ResultType'],
  ['failure reason', 'ResultDescription'],
  ['client app', 'ClientAppUsed'],
  ['sign-in identifier', 'SignInIdentifier'],
  ['session id', 'SessionId'],
  ['autonomous system number', 'AutonomousSystemNumber'],
  ['token issuer type', 'TokenIssuerType'],
  ['token issuer name', 'TokenIssuerName'],
  ['latency', 'ProcessingTimeInMilliseconds'],
]);

/** Display values of "Authentication requirement" and "Conditional Access", and the values Log Analytics stores. */
const ENUM_VALUES: ReadonlyMap<string, string> = new Map([
  ['multifactor authentication', 'multiFactorAuthentication'],
  ['multi-factor authentication', 'multiFactorAuthentication'],
  ['single-factor authentication', 'singleFactorAuthentication'],
  ['singlefactor authentication', 'singleFactorAuthentication'],
  ['success', 'success'],
  ['failure', 'failure'],
  ['not applied', 'notApplied'],
]);

/** Whether normalized CSV headers are those of an Entra admin center sign-in download. */
export function isEntraSignInCsv(headers: readonly string[]): boolean {
  return headers.includes('request id') && headers.includes('date (utc)') && headers.includes('username');
}

/** Whether normalized CSV headers are those of an Entra admin center auth-details download. */
export function isEntraAuthDetailsCsv(headers: readonly string[]): boolean {
  return headers.includes('request id') && headers.includes('authentication method') && !headers.includes('username');
}

/** The table of an Entra download: its file names start with "InteractiveSignIns" or "NonInteractiveSignIns". */
export function entraSignInTable(fileName: string): TableSchema {
  return /noninteractive/i.test(fileName) ? AAD_NON_INTERACTIVE_USER_SIGNIN_LOGS : SIGNIN_LOGS;
}

/**
 * Maps one Entra download record (keyed by normalized header) to column
 * values. `authenticationDetails` holds the steps of the record's Request ID
 * from the auth-details file, when one was read. `attemptKey` (see
 * AttemptKeys) becomes OriginalRequestId, which is the record's own
 * Request ID without it.
 */
export function mapEntraSignIn(
  record: Readonly<Record<string, string>>,
  table: TableSchema,
  authenticationDetails: AuthDetailsIndex | undefined,
  attemptKey?: string,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [header, column] of DIRECT_COLUMNS) {
    const value = record[header];
    if (value !== undefined && value !== '') {
      values[column] = value;
    }
  }
  const requestId = record['request id'] ?? '';
  values.OriginalRequestId = attemptKey ?? requestId;
  values.CreatedDateTime = values.TimeGenerated;
  values.ProcessingTimeInMs = values.ProcessingTimeInMilliseconds;
  values.IsInteractive = table === SIGNIN_LOGS;
  values.AuthenticationRequirement = enumValue(record['authentication requirement']);
  values.ConditionalAccessStatus = enumValue(record['conditional access']);
  values.FlaggedForReview = yesNo(record['flagged for review']);
  values.Status = statusOf(record);
  values.LocationDetails = locationOf(record.location);
  values.Location = (values.LocationDetails as { countryOrRegion?: string } | null)?.countryOrRegion ?? null;
  values.DeviceDetail = {
    deviceId: record['device id'] ?? '',
    operatingSystem: record['operating system'] ?? '',
    browser: record.browser ?? '',
    isCompliant: yesNo(record.compliant) ?? false,
    isManaged: yesNo(record.managed) ?? false,
    trustType: record['join type'] ?? '',
  };
  values.MfaDetail = {
    authMethod: record['multifactor authentication auth method'] ?? '',
    authDetail: record['multifactor authentication auth detail'] ?? '',
  };
  const steps = authenticationDetails?.get(requestId);
  if (steps) {
    values.AuthenticationDetails = steps;
  }
  values.Category = table === SIGNIN_LOGS ? 'SignInLogs' : 'NonInteractiveUserSignInLogs';
  values.OperationName = 'Sign-in activity';
  values.Type = table.name;
  return values;
}

function enumValue(text: string | undefined): string | null {
  if (text === undefined || text.trim() === '') {
    return null;
  }
  return ENUM_VALUES.get(text.trim().toLowerCase()) ?? text.trim();
}

function yesNo(text: string | undefined): boolean | null {
  const normalized = text?.trim().toLowerCase();
  if (normalized === 'yes' || normalized === 'true') {
    return true;
  }
  if (normalized === 'no' || normalized === 'false') {
    return false;
  }
  return null;
}

/** Builds the Status bag that Log Analytics stores from the download's flat columns. */
function statusOf(record: Readonly<Record<string, string>>): Record<string, unknown> {
  const code = record['sign-in error code'] ?? '';
  const status: Record<string, unknown> = { errorCode: code === '' ? null : Number(code) };
  if (record['failure reason']) {
    status.failureReason = record['failure reason'];
  }
  if (record['multifactor authentication result']) {
    status.additionalDetails = record['multifactor authentication result'];
  }
  return status;
}

/** Splits "City, State, CC" (the download's Location) into LocationDetails; the last part is the country code. */
function locationOf(text: string | undefined): Record<string, string> | null {
  if (text === undefined || text.trim() === '') {
    return null;
  }
  const parts = text.split(',').map((part) => part.trim());
  const countryOrRegion = parts.pop() ?? '';
  return { city: parts[0] ?? '', state: parts[1] ?? '', countryOrRegion };
}

/** Authentication steps by Request ID, as the elements of AuthenticationDetails. */
export type AuthDetailsIndex = Map<string, Array<Record<string, unknown>>>;

/** Adds one auth-details record (keyed by normalized header) to the index. */
export function addAuthDetailsRecord(index: AuthDetailsIndex, record: Readonly<Record<string, string>>): void {
  const requestId = record['request id'];
  if (!requestId) {
    return;
  }
  const step: Record<string, unknown> = {
    authenticationStepDateTime: record['date (utc)'] ?? record.date ?? null,
    authenticationMethod: record['authentication method'] ?? '',
    authenticationMethodDetail: record['authentication method detail'] ?? '',
    succeeded: yesNo(record.succeeded),
    authenticationStepResultDetail: record['result detail'] ?? '',
    authenticationStepRequirement: record.requirement ?? record['authentication step requirement'] ?? '',
  };
  const steps = index.get(requestId);
  if (steps) {
    steps.push(step);
  } else {
    index.set(requestId, [step]);
  }
}
