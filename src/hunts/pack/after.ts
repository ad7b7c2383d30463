/** Hunts for what follows an approval: mailbox and file access, inbox rules, new MFA methods, the session itself. */
import type { Hunt, HuntParameter } from '../types';
import {
  approvalsLet,
  CLIENT_IP_ADDRESS_EXPRESSION,
  denialsLet,
  HUNT_RANGE_LET,
  WATCHED_APPROVALS_LET,
} from './fragments';
import { lookback, RANGE_PARAMETERS, USER_FILTER } from './parameters';

/** Parameters of the hunts that a pivot aims at one user and one moment. */
const PIVOT_PARAMETERS: HuntParameter[] = [USER_FILTER, ...RANGE_PARAMETERS];

/** Parameters that pick the approvals to follow, shared by the hunts that join to them. */
const APPROVAL_PARAMETERS: HuntParameter[] = [
  lookback('How far back to look for approvals.'),
  {
    name: 'denialWindow',
    type: 'timespan',
    default: '1h',
    description: 'How long before an approval its denials are counted.',
  },
  {
    name: 'minDenials',
    type: 'long',
    default: 3,
    min: 0,
    description: 'Minimum number of denied MFA attempts before an approval for it to be followed. 0 follows every approval.',
  },
];

const ACTIVITY_OPERATIONS = '"MailItemsAccessed", "FileDownloaded", "New-InboxRule", "Set-InboxRule"';

const activityAfterApproval: Hunt = {
  id: 'activity-after-approval',
  title: 'Mailbox and file activity after the approval',
  description:
    'Exchange and SharePoint activity from the Office 365 connector: mail items accessed, files downloaded and inbox ' +
    'rules created or changed, with account, action, workload, client IP and the raw record.',
  stage: 'after',
  mitre: 'T1114',
  tables: ['OfficeActivity'],
  target: 'logAnalytics',
  parameters: PIVOT_PARAMETERS,
  entities: [
    { column: 'UserPrincipalName', kind: 'userPrincipalName' },
    { column: 'IPAddress', kind: 'ipAddress' },
    { column: 'TimeGenerated', kind: 'lastSeen' },
  ],
  query: `let userPrincipalName = {{userPrincipalName}};
${HUNT_RANGE_LET}
OfficeActivity
| where TimeGenerated between (huntStart .. huntEnd)
| where Operation in (${ACTIVITY_OPERATIONS})
| where isempty(userPrincipalName) or UserId =~ userPrincipalName
// The client address is in ClientIP, Client_IPAddress or ActorIpAddress,
// depending on the workload. Exchange adds a port and, for IPv6, brackets.
| extend RawClientIP = coalesce(ClientIP, Client_IPAddress, ActorIpAddress)
| extend IPAddress = ${CLIENT_IP_ADDRESS_EXPRESSION}
| extend RawEventData = pack_all(true)
| project TimeGenerated, UserPrincipalName = UserId, Operation, Application = OfficeWorkload, IPAddress, ResultStatus,
    ItemName = coalesce(SourceFileName, ItemName, OfficeObjectId), MailboxOwnerUPN, ClientInfoString, UserAgent, RawEventData
| order by TimeGenerated asc
`,
};

const activityAfterApprovalXdr: Hunt = {
  id: 'activity-after-approval-xdr',
  title: 'Mailbox and file activity after the approval (Defender XDR)',
  description:
    'Microsoft 365 activity in Defender XDR CloudAppEvents: mail items accessed, files downloaded and inbox rules ' +
    'created or changed, with account, action, application, IP and RawEventData.',
  stage: 'after',
  mitre: 'T1114',
  tables: ['CloudAppEvents'],
  target: 'defenderXdr',
  parameters: PIVOT_PARAMETERS,
  entities: [
    { column: 'UserPrincipalName', kind: 'userPrincipalName' },
    { column: 'AccountObjectId', kind: 'userObjectId' },
    { column: 'IPAddress', kind: 'ipAddress' },
    { column: 'Timestamp', kind: 'lastSeen' },
  ],
  query: `let userPrincipalName = {{userPrincipalName}};
${HUNT_RANGE_LET}
CloudAppEvents
| where Timestamp between (huntStart .. huntEnd)
| where ActionType in (${ACTIVITY_OPERATIONS})
// For Microsoft 365 records the user principal name is in RawEventData.UserId,
// because AccountId may contain the object id instead.
| extend UserPrincipalName = tostring(RawEventData.UserId)
| where isempty(userPrincipalName) or UserPrincipalName =~ userPrincipalName
| project Timestamp, UserPrincipalName, AccountObjectId, AccountDisplayName, ActionType, Application, IPAddress, CountryCode,
    UserAgent, ObjectName, RawEventData
| order by Timestamp asc
`,
};

const inboxRuleAfterApproval: Hunt = {
  id: 'inbox-rule-after-approval',
  title: 'Inbox rule created or changed after the approval',
  description:
    'New-InboxRule, Set-InboxRule and UpdateInboxRules by a user within the window after an approved MFA sign-in that ' +
    'followed denials, with the rule parameters parsed (forward, redirect, move, delete, keywords).',
  stage: 'after',
  mitre: 'T1564.008',
  tables: ['SigninLogs', 'OfficeActivity'],
  target: 'logAnalytics',
  parameters: [
    ...APPROVAL_PARAMETERS,
    {
      name: 'ruleWindow',
      type: 'timespan',
      default: '24h',
      description: 'How long after an approval a rule change is linked to it.',
    },
    USER_FILTER,
  ],
  entities: [
    { column: 'UserPrincipalName', kind: 'userPrincipalName' },
    { column: 'ClientIPAddress', kind: 'ipAddress' },
    { column: 'ApprovalTime', kind: 'approvalTime' },
    { column: 'SessionId', kind: 'sessionId' },
  ],
  query: `let lookback = {{lookback}};
let denialWindow = {{denialWindow}};
let minDenials = {{minDenials}};
let ruleWindow = {{ruleWindow}};
let userPrincipalName = {{userPrincipalName}};
${denialsLet('ago(lookback + denialWindow)')}
${approvalsLet('ago(lookback)')}
${WATCHED_APPROVALS_LET}
let ruleChanges = materialize(
    OfficeActivity
    | where TimeGenerated > ago(lookback)
    | where Operation in ("New-InboxRule", "Set-InboxRule", "UpdateInboxRules")
    | where isempty(userPrincipalName) or UserId =~ userPrincipalName
    // ClientIP may carry a port and, for IPv6, brackets: [addr]:port.
    | extend RawClientIP = coalesce(ClientIP, Client_IPAddress)
    | extend ClientIPAddress = ${CLIENT_IP_ADDRESS_EXPRESSION}
    | project RuleTime = TimeGenerated, UserPrincipalName = tolower(UserId), Operation, OfficeId, ClientIPAddress,
        Parameters, OperationProperties, ResultStatus);
// Parameters is text holding a JSON array of {Name, Value} pairs, folded here
// into one bag per record. UpdateInboxRules (rules made in Outlook) keeps its
// details in OperationProperties instead, so the join below is a left outer one.
let ruleParameters =
    ruleChanges
    | mv-expand Parameter = todynamic(Parameters)
    | summarize RuleParameters = make_bag(bag_pack(tostring(Parameter.Name), Parameter.Value)) by OfficeId;
ruleChanges
| join kind=leftouter ruleParameters on OfficeId
| join kind=inner watchedApprovals on UserPrincipalName
| where RuleTime between (ApprovalTime .. (ApprovalTime + ruleWindow))
// A rule change after several approvals belongs to the latest of them.
| summarize arg_max(ApprovalTime, *) by OfficeId
| extend RuleName = tostring(RuleParameters.Name),
    ForwardTo = tostring(RuleParameters.ForwardTo),
    ForwardAsAttachmentTo = tostring(RuleParameters.ForwardAsAttachmentTo),
    RedirectTo = tostring(RuleParameters.RedirectTo),
    MoveToFolder = tostring(RuleParameters.MoveToFolder),
    DeleteMessage = tostring(RuleParameters.DeleteMessage),
    MarkAsRead = tostring(RuleParameters.MarkAsRead),
    // The first keyword condition of the rule. RuleParameters contains all of them.
    Keywords = tostring(coalesce(RuleParameters.SubjectOrBodyContainsWords, RuleParameters.SubjectContainsWords,
        RuleParameters.BodyContainsWords, RuleParameters.FromAddressContainsWords))
| extend TimeFromApproval = RuleTime - ApprovalTime, SameIPAsApproval = ClientIPAddress == ApprovalIPAddress
| project RuleTime, UserPrincipalName, Operation, RuleName, ForwardTo, ForwardAsAttachmentTo, RedirectTo, MoveToFolder,
    DeleteMessage, MarkAsRead, Keywords, ClientIPAddress, ApprovalTime, ApprovalIPAddress, SameIPAsApproval,
    TimeFromApproval, DenialsBeforeApproval, SessionId, RuleParameters, OperationProperties, ResultStatus
| order by RuleTime desc
`,
};

const mfaMethodRegisteredAfterApproval: Hunt = {
  id: 'mfa-method-registered-after-approval',
  title: 'MFA method registered after the approval',
  description:
    'Security-info changes in AuditLogs (a method registered, changed, updated or deleted) for a user within the ' +
    'window after an approved MFA sign-in that followed denials: the attacker keeping access.',
  stage: 'after',
  mitre: 'T1098.005',
  tables: ['SigninLogs', 'AuditLogs'],
  target: 'logAnalytics',
  parameters: [
    ...APPROVAL_PARAMETERS,
    {
      name: 'registrationWindow',
      type: 'timespan',
      default: '24h',
      description: 'How long after an approval a security-info change is linked to it.',
    },
    USER_FILTER,
  ],
  entities: [
    { column: 'UserPrincipalName', kind: 'userPrincipalName' },
    { column: 'InitiatorIPAddress', kind: 'ipAddress' },
    { column: 'ApprovalTime', kind: 'approvalTime' },
    { column: 'SessionId', kind: 'sessionId' },
    { column: 'CorrelationId', kind: 'correlationId' },
  ],
  query: `let lookback = {{lookback}};
let denialWindow = {{denialWindow}};
let minDenials = {{minDenials}};
let registrationWindow = {{registrationWindow}};
let userPrincipalName = {{userPrincipalName}};
${denialsLet('ago(lookback + denialWindow)')}
${approvalsLet('ago(lookback)')}
${WATCHED_APPROVALS_LET}
// Security-info operations, such as "User registered security info", "User
// changed default security info" and "Admin registered security info". The
// user is the target, and for self-service changes also the initiator.
let securityInfoChanges =
    AuditLogs
    | where TimeGenerated > ago(lookback)
    | where OperationName has "security info"
    | where OperationName has_any ("registered", "changed", "updated", "deleted")
    | extend TargetUpn = tostring(TargetResources[0].userPrincipalName),
        InitiatorUpn = tostring(InitiatedBy.user.userPrincipalName),
        InitiatorIPAddress = tostring(InitiatedBy.user.ipAddress)
    | extend UserPrincipalName = tolower(iff(isnotempty(TargetUpn), TargetUpn, InitiatorUpn))
    | where isempty(userPrincipalName) or UserPrincipalName =~ userPrincipalName
    | project ChangeTime = TimeGenerated, AuditId = Id, UserPrincipalName, OperationName, Result, ResultReason, InitiatorUpn,
        InitiatorIPAddress, LoggedByService, AdditionalDetails, AuditCorrelationId = CorrelationId;
securityInfoChanges
| join kind=inner watchedApprovals on UserPrincipalName
| where ChangeTime between (ApprovalTime .. (ApprovalTime + registrationWindow))
// A change after several approvals belongs to the latest of them.
| summarize arg_max(ApprovalTime, *) by AuditId
| extend TimeFromApproval = ChangeTime - ApprovalTime, SameIPAsApproval = InitiatorIPAddress == ApprovalIPAddress
| project ChangeTime, UserPrincipalName, OperationName, ResultReason, Result, InitiatorUpn, InitiatorIPAddress,
    ApprovalTime, ApprovalIPAddress, SameIPAsApproval, TimeFromApproval, DenialsBeforeApproval, SessionId,
    CorrelationId = AuditCorrelationId, AdditionalDetails
| order by ChangeTime desc
`,
};

const approvedSessionNonInteractive: Hunt = {
  id: 'approved-session-non-interactive',
  title: 'Approved session continuing in non-interactive sign-ins',
  description:
    'Non-interactive sign-ins that share the session of an approved MFA sign-in (by SessionId, or by ' +
    'UniqueTokenIdentifier where SessionId is empty): how long the session ran, from which IPs and for which apps.',
  stage: 'after',
  mitre: 'T1621',
  tables: ['SigninLogs', 'AADNonInteractiveUserSignInLogs'],
  target: 'logAnalytics',
  parameters: [...APPROVAL_PARAMETERS, USER_FILTER],
  entities: [
    { column: 'UserPrincipalName', kind: 'userPrincipalName' },
    { column: 'ApprovalIPAddress', kind: 'ipAddress' },
    { column: 'ApprovalTime', kind: 'approvalTime' },
    { column: 'SessionId', kind: 'sessionId' },
    { column: 'LastSeen', kind: 'lastSeen' },
  ],
  query: `let lookback = {{lookback}};
let denialWindow = {{denialWindow}};
let minDenials = {{minDenials}};
let userPrincipalName = {{userPrincipalName}};
${denialsLet('ago(lookback + denialWindow)')}
${approvalsLet('ago(lookback)')}
${WATCHED_APPROVALS_LET}
// Join on SessionId, or on UniqueTokenIdentifier where SessionId is empty, so
// the hunt still links rows in workspaces without the SessionId column.
let approvedSessions =
    watchedApprovals
    | extend SessionKey = iff(isnotempty(SessionId), SessionId, UniqueTokenIdentifier)
    | where isnotempty(SessionKey);
// Status, LocationDetails and DeviceDetail are text in this table and dynamic
// in SigninLogs: todynamic() reads both the same way.
let nonInteractive =
    AADNonInteractiveUserSignInLogs
    | where TimeGenerated > ago(lookback)
    | where isempty(userPrincipalName) or UserPrincipalName =~ userPrincipalName
    | extend SessionId = tostring(column_ifexists("SessionId", ""))
    | extend SessionKey = iff(isnotempty(SessionId), SessionId, UniqueTokenIdentifier)
    | where isnotempty(SessionKey)
    | extend StatusDetail = todynamic(Status), LocationDetail = todynamic(LocationDetails), DeviceInfo = todynamic(DeviceDetail)
    | project TimeGenerated, SessionKey, IPAddress, AppDisplayName, ResourceDisplayName, ResultType,
        ErrorCode = toint(StatusDetail.errorCode), Country = tostring(LocationDetail.countryOrRegion),
        OperatingSystem = tostring(DeviceInfo.operatingSystem);
approvedSessions
| join kind=inner nonInteractive on SessionKey
| where TimeGenerated >= ApprovalTime
| summarize NonInteractiveSignIns = count(), Failures = countif(ResultType != "0"), FirstSeen = min(TimeGenerated),
    LastSeen = max(TimeGenerated), IPs = make_set(IPAddress, 50), Countries = make_set(Country, 20),
    Apps = make_set(AppDisplayName, 50), Resources = make_set(ResourceDisplayName, 50),
    OperatingSystems = make_set(OperatingSystem, 10), ErrorCodes = make_set(ErrorCode, 20)
    by UserPrincipalName, ApprovalTime, ApprovalIPAddress, ApprovalCountry, DenialsBeforeApproval, SessionId = SessionKey
// IPs other than the approval IP show the session's tokens used from elsewhere.
| extend SessionDuration = LastSeen - ApprovalTime, OtherIPs = set_difference(IPs, pack_array(ApprovalIPAddress))
| project UserPrincipalName, ApprovalTime, ApprovalIPAddress, ApprovalCountry, DenialsBeforeApproval, SessionId,
    NonInteractiveSignIns, Failures, FirstSeen, LastSeen, SessionDuration, OtherIPs, IPs, Countries, Apps, Resources,
    OperatingSystems, ErrorCodes
| order by array_length(OtherIPs) desc, NonInteractiveSignIns desc
`,
};

export const AFTER_HUNTS: readonly Hunt[] = [
  activityAfterApproval,
  activityAfterApprovalXdr,
  inboxRuleAfterApproval,
  mfaMethodRegisteredAfterApproval,
  approvedSessionNonInteractive,
];
