/** Hunts for the approval itself: a success that follows denials, wrong numbers or an unfamiliar place. */
import type { Hunt } from '../types';
import { approvalsLet, denialsLet } from './fragments';
import { lookback, USER_FILTER } from './parameters';

const successAfterFailures: Hunt = {
  id: 'success-after-failures',
  title: 'Success after repeated MFA failures',
  description:
    'Per user and IP, denied MFA attempts and successful MFA sign-ins with first and last seen, kept where at least ' +
    'N denials came before a success. Counts attempts, not rows, and only the 500121 MFA failure.',
  stage: 'approval',
  mitre: 'T1621',
  tables: ['SigninLogs'],
  target: 'logAnalytics',
  parameters: [
    lookback('How far back to search.'),
    {
      name: 'minFailedAttempts',
      type: 'long',
      default: 5,
      min: 1,
      description: 'Minimum number of denied MFA attempts from one IP before a success.',
    },
    USER_FILTER,
  ],
  entities: [
    { column: 'UserPrincipalName', kind: 'userPrincipalName' },
    { column: 'IPAddress', kind: 'ipAddress' },
    { column: 'LastSuccess', kind: 'approvalTime' },
    { column: 'LastSeen', kind: 'lastSeen' },
  ],
  query: `let lookback = {{lookback}};
let minFailedAttempts = {{minFailedAttempts}};
let userPrincipalName = {{userPrincipalName}};
SigninLogs
| where TimeGenerated > ago(lookback)
// MFA sign-ins only: password errors belong to a different attack.
| where AuthenticationRequirement == "multiFactorAuthentication"
// ResultType is text. "500121" is a denied or unanswered MFA attempt and "0" a
// success. Other codes, such as the 50074 and 50140 interrupts, are ordinary
// steps of a sign-in and count as neither.
| where ResultType in ("0", "500121")
| where isempty(userPrincipalName) or UserPrincipalName =~ userPrincipalName
// One attempt is written as several rows that share OriginalRequestId, so
// attempts are counted as distinct request ids.
| summarize FailedAttempts = dcountif(OriginalRequestId, ResultType == "500121"),
    SuccessfulAttempts = dcountif(OriginalRequestId, ResultType == "0"),
    FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated),
    FirstFailure = minif(TimeGenerated, ResultType == "500121"),
    LastSuccess = maxif(TimeGenerated, ResultType == "0")
    by UserPrincipalName = tolower(UserPrincipalName), IPAddress
| where FailedAttempts >= minFailedAttempts and SuccessfulAttempts >= 1
// A success that came only before the failures is not an approval under pressure.
| where LastSuccess > FirstFailure
| project UserPrincipalName, IPAddress, FailedAttempts, SuccessfulAttempts, FirstSeen, LastSeen, FirstFailure, LastSuccess
| order by FailedAttempts desc
`,
};

const denialsThenApproval: Hunt = {
  id: 'denials-then-approval',
  title: 'Denied prompts followed by an approval',
  description:
    'Approved MFA sign-ins preceded by at least N denied or unanswered prompts for the same user within the window, ' +
    'with the first and last denial and whether the approval came from a denial IP.',
  stage: 'approval',
  mitre: 'T1621',
  tables: ['SigninLogs'],
  target: 'logAnalytics',
  parameters: [
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
      min: 1,
      description: 'Minimum number of denied MFA attempts within the window before the approval.',
    },
    USER_FILTER,
  ],
  entities: [
    { column: 'UserPrincipalName', kind: 'userPrincipalName' },
    { column: 'ApprovalIPAddress', kind: 'ipAddress' },
    { column: 'ApprovalTime', kind: 'approvalTime' },
    { column: 'SessionId', kind: 'sessionId' },
    { column: 'CorrelationId', kind: 'correlationId' },
  ],
  query: `let lookback = {{lookback}};
let denialWindow = {{denialWindow}};
let minDenials = {{minDenials}};
let userPrincipalName = {{userPrincipalName}};
${denialsLet('ago(lookback + denialWindow)')}
${approvalsLet('ago(lookback)')}
approvals
| join kind=inner denials on UserPrincipalName
| where DenialTime between ((ApprovalTime - denialWindow) .. ApprovalTime)
| summarize Denials = dcount(DenialRequestId), FirstDenial = min(DenialTime), LastDenial = max(DenialTime),
    DenialIPs = make_set(DenialIPAddress, 20), DenialCountries = make_set(DenialCountry, 20),
    DenialDetails = make_set(MfaResultDetail, 10)
    by UserPrincipalName, ApprovalTime, ApprovalIPAddress, ApprovalCountry, AppDisplayName, SessionId, CorrelationId
| where Denials >= minDenials
// An approval from an IP that never saw a denial fits a user who approved on
// their own device while the attacker prompted from elsewhere.
| extend ApprovedFromDenialIP = set_has_element(DenialIPs, ApprovalIPAddress), TimeToApproval = ApprovalTime - LastDenial
| project UserPrincipalName, ApprovalTime, ApprovalIPAddress, ApprovalCountry, AppDisplayName, Denials, FirstDenial, LastDenial,
    TimeToApproval, ApprovedFromDenialIP, DenialIPs, DenialCountries, DenialDetails, SessionId, CorrelationId
| order by Denials desc
`,
};

const wrongNumberThenApproval: Hunt = {
  id: 'wrong-number-then-approval',
  title: 'Wrong-number denials followed by an approval',
  description:
    'Approved MFA sign-ins that follow prompts where the user did not select the correct number (number matching), ' +
    'read from Status.additionalDetails and from the authentication steps.',
  stage: 'approval',
  mitre: 'T1621',
  tables: ['SigninLogs'],
  target: 'logAnalytics',
  parameters: [
    lookback('How far back to look for approvals.'),
    {
      name: 'approvalWindow',
      type: 'timespan',
      default: '1h',
      description: 'How long after a wrong-number denial an approval is linked to it.',
    },
    {
      name: 'minWrongNumberDenials',
      type: 'long',
      default: 1,
      min: 1,
      description: 'Minimum number of wrong-number denials within the window before the approval.',
    },
    USER_FILTER,
  ],
  entities: [
    { column: 'UserPrincipalName', kind: 'userPrincipalName' },
    { column: 'ApprovalIPAddress', kind: 'ipAddress' },
    { column: 'ApprovalTime', kind: 'approvalTime' },
    { column: 'SessionId', kind: 'sessionId' },
  ],
  query: `let lookback = {{lookback}};
let approvalWindow = {{approvalWindow}};
let minWrongNumberDenials = {{minWrongNumberDenials}};
let userPrincipalName = {{userPrincipalName}};
// With number matching the user has to type the number shown at sign-in, so
// "did not select the correct number" means the person signing in is not the
// one holding the phone. The detail is in Status.additionalDetails, and the
// authentication steps (text holding JSON) repeat it per step.
let wrongNumberDenials =
    SigninLogs
    | where TimeGenerated > ago(lookback + approvalWindow)
    | where ResultType == "500121"
    | where isempty(userPrincipalName) or UserPrincipalName =~ userPrincipalName
    | extend MfaResultDetail = tostring(todynamic(Status).additionalDetails)
    | where MfaResultDetail has "correct number" or AuthenticationDetails has "correct number"
    | summarize DenialTime = min(TimeGenerated), DenialIPAddress = take_any(IPAddress)
        by UserPrincipalName = tolower(UserPrincipalName), DenialRequestId = OriginalRequestId;
${approvalsLet('ago(lookback)')}
approvals
| join kind=inner wrongNumberDenials on UserPrincipalName
| where DenialTime between ((ApprovalTime - approvalWindow) .. ApprovalTime)
| summarize WrongNumberDenials = dcount(DenialRequestId), FirstWrongNumber = min(DenialTime), LastWrongNumber = max(DenialTime),
    DenialIPs = make_set(DenialIPAddress, 20)
    by UserPrincipalName, ApprovalTime, ApprovalIPAddress, ApprovalCountry, AppDisplayName, SessionId, CorrelationId
| where WrongNumberDenials >= minWrongNumberDenials
| extend TimeToApproval = ApprovalTime - LastWrongNumber
| project UserPrincipalName, ApprovalTime, ApprovalIPAddress, ApprovalCountry, AppDisplayName, WrongNumberDenials,
    FirstWrongNumber, LastWrongNumber, TimeToApproval, DenialIPs, SessionId, CorrelationId
| order by WrongNumberDenials desc, ApprovalTime desc
`,
};

const approvalFromNewLocation: Hunt = {
  id: 'approval-from-new-location',
  title: 'Approval from a new IP or country',
  description:
    'Approved MFA sign-ins from an IP address or country that the user did not sign in from during the baseline ' +
    'period before the lookback.',
  stage: 'approval',
  mitre: 'T1621',
  tables: ['SigninLogs'],
  target: 'logAnalytics',
  parameters: [
    lookback('How far back to look for approvals.'),
    {
      name: 'baselinePeriod',
      type: 'timespan',
      default: '30d',
      description: 'Length of the baseline period that ends where the lookback starts.',
    },
    USER_FILTER,
  ],
  entities: [
    { column: 'UserPrincipalName', kind: 'userPrincipalName' },
    { column: 'ApprovalIPAddress', kind: 'ipAddress' },
    { column: 'ApprovalTime', kind: 'approvalTime' },
    { column: 'SessionId', kind: 'sessionId' },
  ],
  query: `let lookback = {{lookback}};
let baselinePeriod = {{baselinePeriod}};
let userPrincipalName = {{userPrincipalName}};
${approvalsLet('ago(lookback)')}
// The baseline uses interactive sign-ins only: non-interactive sign-ins come
// from many service IPs and would hide a new one.
// NOTE: make_set keeps at most 1000 IPs per user, so a user with more looks
// new at the IPs that were cut off.
let baseline =
    SigninLogs
    | where TimeGenerated between (ago(lookback + baselinePeriod) .. ago(lookback))
    | where ResultType == "0"
    | where isempty(userPrincipalName) or UserPrincipalName =~ userPrincipalName
    | summarize KnownIPs = make_set(IPAddress, 1000), KnownCountries = make_set(tostring(LocationDetails.countryOrRegion), 200),
        BaselineSignIns = dcount(OriginalRequestId)
        by UserPrincipalName = tolower(UserPrincipalName);
// A user with no baseline sign-ins (new, or back after a long absence) gets
// empty sets, so every approval of theirs is new. HasBaseline marks these users.
approvals
| join kind=leftouter baseline on UserPrincipalName
| extend HasBaseline = isnotnull(BaselineSignIns),
    KnownIPs = coalesce(KnownIPs, dynamic([])),
    KnownCountries = coalesce(KnownCountries, dynamic([]))
| extend NewIPAddress = not(set_has_element(KnownIPs, ApprovalIPAddress)),
    NewCountry = isnotempty(ApprovalCountry) and not(set_has_element(KnownCountries, ApprovalCountry))
| where NewIPAddress or NewCountry
| project UserPrincipalName, ApprovalTime, ApprovalIPAddress, ApprovalCountry, NewIPAddress, NewCountry, HasBaseline,
    BaselineSignIns, AppDisplayName, SessionId, CorrelationId
| order by NewCountry desc, ApprovalTime desc
`,
};

export const APPROVAL_HUNTS: readonly Hunt[] = [
  successAfterFailures,
  denialsThenApproval,
  wrongNumberThenApproval,
  approvalFromNewLocation,
];
