/** Builders of the non-sign-in rows: Office 365 activity, Entra audit records, cloud app events and risk events. */
import type { SeededRandom } from './random';
import { TENANT_ID, type Place, type SampleUser } from './tenant';

type Row = Record<string, unknown>;

/** Columns written to OfficeActivity.csv, a Log Analytics export of the columns the sample fills. */
export const OFFICE_ACTIVITY_COLUMNS = [
  'TimeGenerated',
  'RecordType',
  'Operation',
  'OrganizationId',
  'UserType',
  'UserKey',
  'OfficeWorkload',
  'ResultStatus',
  'OfficeObjectId',
  'UserId',
  'ClientIP',
  'ClientInfoString',
  'MailboxOwnerUPN',
  'Parameters',
  'OfficeId',
  'SourceFileName',
  'Site_Url',
  'TenantId',
  'Type',
];

export const RISK_EVENT_COLUMNS = [
  'TimeGenerated',
  'Id',
  'RequestId',
  'CorrelationId',
  'UserId',
  'UserDisplayName',
  'UserPrincipalName',
  'RiskEventType',
  'RiskLevel',
  'RiskState',
  'RiskDetail',
  'Source',
  'DetectionTimingType',
  'Activity',
  'ActivityDateTime',
  'DetectedDateTime',
  'IpAddress',
  'Location',
  'TokenIssuerType',
  'OperationName',
  'TenantId',
  'Type',
];

const iso = (time: number) => new Date(time).toISOString();

export function mailItemsAccessed(random: SeededRandom, user: SampleUser, time: number, clientIP: string): Row {
  return {
    TimeGenerated: iso(time),
    RecordType: 'ExchangeItemAggregated',
    Operation: 'MailItemsAccessed',
    OrganizationId: TENANT_ID,
    UserType: 'Regular',
    UserKey: user.id,
    OfficeWorkload: 'Exchange',
    ResultStatus: 'Succeeded',
    UserId: user.userPrincipalName,
    ClientIP: clientIP,
    ClientInfoString: 'Client=OWA;Action=ViaProxy',
    MailboxOwnerUPN: user.userPrincipalName,
    OfficeId: random.guid(),
    TenantId: TENANT_ID,
    Type: 'OfficeActivity',
  };
}

export function fileDownloaded(random: SeededRandom, user: SampleUser, time: number, clientIP: string, fileName: string): Row {
  const site = `https://contoso-sample-my.sharepoint.example/personal/${user.userPrincipalName.replace(/[@.]/g, '_')}`;
  return {
    TimeGenerated: iso(time),
    RecordType: 'SharePointFileOperation',
    Operation: 'FileDownloaded',
    OrganizationId: TENANT_ID,
    UserType: 'Regular',
    UserKey: user.id,
    OfficeWorkload: 'OneDrive',
    OfficeObjectId: `${site}/Documents/${fileName}`,
    UserId: user.userPrincipalName,
    ClientIP: clientIP,
    SourceFileName: fileName,
    Site_Url: `${site}/`,
    OfficeId: random.guid(),
    TenantId: TENANT_ID,
    Type: 'OfficeActivity',
  };
}

/** New-InboxRule with its parameters as Exchange writes them: text holding a JSON array of {Name, Value}. */
export function newInboxRule(
  random: SeededRandom,
  user: SampleUser,
  time: number,
  clientIP: string,
  parameters: ReadonlyArray<readonly [string, string]>,
): Row {
  return {
    TimeGenerated: iso(time),
    RecordType: 'ExchangeAdmin',
    Operation: 'New-InboxRule',
    OrganizationId: TENANT_ID,
    UserType: 'Regular',
    UserKey: user.id,
    OfficeWorkload: 'Exchange',
    ResultStatus: 'True',
    OfficeObjectId: `${user.userPrincipalName}\\${parameters.find(([name]) => name === 'Name')?.[1] ?? ''}`,
    UserId: user.userPrincipalName,
    ClientIP: clientIP,
    Parameters: JSON.stringify(parameters.map(([Name, Value]) => ({ Name, Value }))),
    OfficeId: random.guid(),
    TenantId: TENANT_ID,
    Type: 'OfficeActivity',
  };
}

/** A CloudAppEvents row (Sentinel flavour) mirroring an Office 365 operation. */
export function cloudAppEvent(random: SeededRandom, user: SampleUser, time: number, actionType: string, ipAddress: string, place: Place): Row {
  return {
    TimeGenerated: iso(time),
    ActionType: actionType,
    Application: 'Microsoft Exchange Online',
    ApplicationId: 20893,
    AccountObjectId: user.id,
    AccountId: user.id,
    AccountDisplayName: user.displayName,
    AccountType: 'Regular',
    IPAddress: ipAddress,
    CountryCode: place.countryOrRegion,
    City: place.city,
    ISP: 'Sample ISP',
    IsAdminOperation: false,
    ActivityType: actionType === 'New-InboxRule' ? 'Create' : 'Access',
    ReportId: random.guid(),
    RawEventData: { UserId: user.userPrincipalName, Operation: actionType, ClientIPAddress: ipAddress, Workload: 'Exchange' },
    TenantId: TENANT_ID,
    Type: 'CloudAppEvents',
  };
}

/**
 * An Azure Monitor diagnostic record (category AuditLogs) for a security-info
 * change that the user made themselves, such as "User registered security info".
 */
export function securityInfoAudit(
  random: SeededRandom,
  user: SampleUser,
  time: number,
  ipAddress: string,
  activity: string,
  method: string,
): Row {
  const id = `SSGM_${random.guid()}`;
  const correlationId = random.guid();
  return {
    time: iso(time),
    resourceId: `/tenants/${TENANT_ID}/providers/Microsoft.aadiam`,
    operationName: activity,
    operationVersion: '1.0',
    category: 'AuditLogs',
    tenantId: TENANT_ID,
    resultSignature: 'None',
    durationMs: 0,
    callerIpAddress: ipAddress,
    correlationId,
    Level: 4,
    properties: {
      id,
      category: 'UserManagement',
      correlationId,
      result: 'success',
      resultReason: `User registered ${method}`,
      activityDisplayName: activity,
      activityDateTime: iso(time),
      loggedByService: 'Authentication Methods',
      operationType: 'Add',
      initiatedBy: { user: { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName, ipAddress } },
      targetResources: [{ id: user.id, displayName: user.displayName, type: 'User', userPrincipalName: user.userPrincipalName }],
      additionalDetails: [
        { key: 'Method', value: method },
        { key: 'User Agent', value: 'Mozilla/5.0' },
      ],
    },
  };
}

/** An AADUserRiskEvents row. */
export function riskEvent(
  random: SeededRandom,
  user: SampleUser,
  time: number,
  riskEventType: string,
  ipAddress: string,
  place: Place,
  ids: { requestId: string; correlationId: string },
): Row {
  return {
    TimeGenerated: iso(time + 60_000),
    Id: random.guid(),
    RequestId: ids.requestId,
    CorrelationId: ids.correlationId,
    UserId: user.id,
    UserDisplayName: user.displayName,
    UserPrincipalName: user.userPrincipalName,
    RiskEventType: riskEventType,
    RiskLevel: riskEventType === 'userReportedSuspiciousActivity' ? 'high' : 'medium',
    RiskState: 'atRisk',
    RiskDetail: 'none',
    Source: riskEventType === 'userReportedSuspiciousActivity' ? 'EndUserReported' : 'IdentityProtection',
    DetectionTimingType: riskEventType === 'userReportedSuspiciousActivity' ? 'realtime' : 'offline',
    Activity: 'signin',
    ActivityDateTime: iso(time),
    DetectedDateTime: iso(time),
    IpAddress: ipAddress,
    Location: { city: place.city, state: place.state, countryOrRegion: place.countryOrRegion },
    TokenIssuerType: 'AzureAD',
    OperationName: 'User Risk Detection',
    TenantId: TENANT_ID,
    Type: 'AADUserRiskEvents',
  };
}
