/**
 * Pivot hunts: short queries aimed at one user, IP address or session in one
 * time range. A pivot from a flagged entity fills their parameters; they also
 * run on their own from the library.
 */
import type { Hunt, HuntParameter } from '../types';
import { CLIENT_IP_ADDRESS_EXPRESSION, HUNT_RANGE_LET } from './fragments';
import { RANGE_PARAMETERS, USER_FILTER } from './parameters';

const IP_FILTER: HuntParameter = {
  name: 'ipAddress',
  type: 'string',
  default: '',
  description: 'IP address to search for, or empty for every address.',
};

const SESSION_FILTER: HuntParameter = {
  name: 'sessionId',
  type: 'string',
  default: '',
  description: 'Session id (or unique token identifier) to follow, or empty for every session of the user.',
};


/**
 * Interactive and non-interactive sign-ins in the hunt range, filtered by
 * `filter`. Each side converts its own columns before the union, because
 * Status and LocationDetails are dynamic in SigninLogs and text in
 * AADNonInteractiveUserSignInLogs.
 */
function signInsUnion(filter: string): string {
  const side = (table: string): string => `(${table}
    | where TimeGenerated between (huntStart .. huntEnd)
    | where ${filter}
    | extend StatusDetail = todynamic(Status), LocationDetail = todynamic(LocationDetails)
    | project TimeGenerated, UserPrincipalName = tolower(UserPrincipalName), IPAddress, AppDisplayName, ResultType,
        ResultDescription, ErrorDetail = tostring(StatusDetail.additionalDetails),
        Country = tostring(LocationDetail.countryOrRegion), AuthenticationRequirement, ClientAppUsed, UserAgent,
        SessionId = tostring(column_ifexists("SessionId", "")), UniqueTokenIdentifier, CorrelationId, SignInTable = Type)`;
  return `union
${side('SigninLogs')},
${side('AADNonInteractiveUserSignInLogs')}
| order by TimeGenerated asc`;
}

const SIGN_IN_ENTITIES: Hunt['entities'] = [
  { column: 'UserPrincipalName', kind: 'userPrincipalName' },
  { column: 'IPAddress', kind: 'ipAddress' },
  { column: 'TimeGenerated', kind: 'lastSeen' },
  { column: 'SessionId', kind: 'sessionId' },
  { column: 'CorrelationId', kind: 'correlationId' },
];

const signInsFromIp: Hunt = {
  id: 'sign-ins-from-ip',
  title: 'Sign-ins from one IP address',
  description:
    'Interactive and non-interactive sign-ins from one IP address in a time range, for every user: who else the ' +
    'attacker signed in as, and to which apps.',
  stage: 'after',
  mitre: 'T1078.004',
  tables: ['SigninLogs', 'AADNonInteractiveUserSignInLogs'],
  target: 'logAnalytics',
  parameters: [IP_FILTER, ...RANGE_PARAMETERS],
  entities: SIGN_IN_ENTITIES,
  query: `let ipAddress = {{ipAddress}};
${HUNT_RANGE_LET}
${signInsUnion('isempty(ipAddress) or IPAddress == ipAddress')}
`,
};

const signInsOfUser: Hunt = {
  id: 'sign-ins-of-user',
  title: 'All sign-ins of one user',
  description:
    'Interactive and non-interactive sign-ins of one user in a time range, from every IP address, with result, ' +
    'app, country, session and correlation id.',
  stage: 'after',
  mitre: 'T1078.004',
  tables: ['SigninLogs', 'AADNonInteractiveUserSignInLogs'],
  target: 'logAnalytics',
  parameters: [USER_FILTER, ...RANGE_PARAMETERS],
  entities: SIGN_IN_ENTITIES,
  query: `let userPrincipalName = {{userPrincipalName}};
${HUNT_RANGE_LET}
${signInsUnion('isempty(userPrincipalName) or UserPrincipalName =~ userPrincipalName')}
`,
};

const sessionNonInteractive: Hunt = {
  id: 'session-non-interactive-sign-ins',
  title: 'One session in non-interactive sign-ins',
  description:
    'Non-interactive sign-ins that carry one session id (or unique token identifier) in a time range: every token ' +
    'refresh of the session, with IP address, app and resource.',
  stage: 'after',
  mitre: 'T1550.001',
  tables: ['AADNonInteractiveUserSignInLogs'],
  target: 'logAnalytics',
  parameters: [SESSION_FILTER, USER_FILTER, ...RANGE_PARAMETERS],
  entities: SIGN_IN_ENTITIES,
  query: `let sessionId = {{sessionId}};
let userPrincipalName = {{userPrincipalName}};
${HUNT_RANGE_LET}
AADNonInteractiveUserSignInLogs
| where TimeGenerated between (huntStart .. huntEnd)
| where isempty(userPrincipalName) or UserPrincipalName =~ userPrincipalName
| extend SessionId = tostring(column_ifexists("SessionId", ""))
| where isempty(sessionId) or SessionId == sessionId or UniqueTokenIdentifier == sessionId
// Status and LocationDetails are text holding JSON in this table.
| extend StatusDetail = todynamic(Status), LocationDetail = todynamic(LocationDetails)
| project TimeGenerated, UserPrincipalName = tolower(UserPrincipalName), IPAddress, AppDisplayName, ResourceDisplayName,
    ResultType, ErrorCode = toint(StatusDetail.errorCode), Country = tostring(LocationDetail.countryOrRegion), UserAgent,
    SessionId, UniqueTokenIdentifier, CorrelationId
| order by TimeGenerated asc
`,
};

const mfaMethodsInRange: Hunt = {
  id: 'mfa-methods-registered-in-range',
  title: 'MFA methods registered by one user in a time range',
  description:
    'Security-info changes in AuditLogs (a method registered, changed, updated or deleted) for one user in a time ' +
    'range, such as the day after an approval, with the initiator and its IP address.',
  stage: 'after',
  mitre: 'T1098.005',
  tables: ['AuditLogs'],
  target: 'logAnalytics',
  parameters: [USER_FILTER, ...RANGE_PARAMETERS],
  entities: [
    { column: 'UserPrincipalName', kind: 'userPrincipalName' },
    { column: 'InitiatorIPAddress', kind: 'ipAddress' },
    { column: 'TimeGenerated', kind: 'lastSeen' },
    { column: 'CorrelationId', kind: 'correlationId' },
  ],
  query: `let userPrincipalName = {{userPrincipalName}};
${HUNT_RANGE_LET}
AuditLogs
| where TimeGenerated between (huntStart .. huntEnd)
| where OperationName has "security info"
| where OperationName has_any ("registered", "changed", "updated", "deleted")
| extend TargetUpn = tostring(TargetResources[0].userPrincipalName),
    InitiatorUpn = tostring(InitiatedBy.user.userPrincipalName),
    InitiatorIPAddress = tostring(InitiatedBy.user.ipAddress)
| extend UserPrincipalName = tolower(iff(isnotempty(TargetUpn), TargetUpn, InitiatorUpn))
| where isempty(userPrincipalName) or UserPrincipalName =~ userPrincipalName
| project TimeGenerated, UserPrincipalName, OperationName, Result, ResultReason, InitiatorUpn, InitiatorIPAddress,
    LoggedByService, CorrelationId, AdditionalDetails
| order by TimeGenerated asc
`,
};

const inboxRulesInRange: Hunt = {
  id: 'inbox-rules-in-range',
  title: 'Inbox rules created or changed by one user in a time range',
  description:
    'New-InboxRule, Set-InboxRule and UpdateInboxRules records in OfficeActivity for one user in a time range, with ' +
    'the client IP address and the rule parameters as recorded.',
  stage: 'after',
  mitre: 'T1564.008',
  tables: ['OfficeActivity'],
  target: 'logAnalytics',
  parameters: [USER_FILTER, ...RANGE_PARAMETERS],
  entities: [
    { column: 'UserPrincipalName', kind: 'userPrincipalName' },
    { column: 'ClientIPAddress', kind: 'ipAddress' },
    { column: 'TimeGenerated', kind: 'lastSeen' },
  ],
  query: `let userPrincipalName = {{userPrincipalName}};
${HUNT_RANGE_LET}
OfficeActivity
| where TimeGenerated between (huntStart .. huntEnd)
| where Operation in ("New-InboxRule", "Set-InboxRule", "UpdateInboxRules")
| where isempty(userPrincipalName) or UserId =~ userPrincipalName
// ClientIP may carry a port and, for IPv6, brackets: [addr]:port.
| extend RawClientIP = coalesce(ClientIP, Client_IPAddress)
| extend ClientIPAddress = ${CLIENT_IP_ADDRESS_EXPRESSION}
| project TimeGenerated, UserPrincipalName = tolower(UserId), Operation, ClientIPAddress, Parameters, OperationProperties,
    ResultStatus, OfficeId
| order by TimeGenerated asc
`,
};

export const PIVOT_HUNTS: readonly Hunt[] = [
  signInsOfUser,
  signInsFromIp,
  sessionNonInteractive,
  mfaMethodsInRange,
  inboxRulesInRange,
];
