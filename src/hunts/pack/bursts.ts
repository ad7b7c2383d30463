/**
 * The prompt-burst hunts of the before stage, on SigninLogs and on the
 * Defender XDR sign-in table. Both count denials in a sliding window.
 */
import type { Hunt, HuntParameter } from '../types';
import { approvalsLet, denialsLet } from './fragments';
import { lookback, USER_FILTER } from './parameters';

/** Both burst hunts take the same parameters, so a pivot fills either one alike. */
const BURST_PARAMETERS: HuntParameter[] = [
  lookback('How far back to search.'),
  {
    name: 'burstWindow',
    type: 'timespan',
    default: '10m',
    description: 'Length of the sliding window in which denials are counted.',
  },
  {
    name: 'minDenials',
    type: 'long',
    default: 5,
    min: 2,
    description: 'Minimum number of denied MFA attempts within one window that make a burst.',
  },
  {
    name: 'approvalWindow',
    type: 'timespan',
    default: '1h',
    description: 'How long after the last denial an approval still counts as ending the burst.',
  },
  USER_FILTER,
];

export const MFA_PROMPT_BURST: Hunt = {
  id: 'mfa-prompt-burst',
  title: 'MFA prompt bursts in a sliding window',
  description:
    'Users who denied or ignored at least N MFA prompts within any window of the given length, merged into bursts ' +
    'with the first denial, the last denial and the first approval that followed.',
  stage: 'before',
  mitre: 'T1621',
  tables: ['SigninLogs'],
  target: 'logAnalytics',
  parameters: BURST_PARAMETERS,
  entities: [
    { column: 'UserPrincipalName', kind: 'userPrincipalName' },
    { column: 'ApprovalIPAddress', kind: 'ipAddress' },
    { column: 'ApprovalTime', kind: 'approvalTime' },
    { column: 'SessionId', kind: 'sessionId' },
    { column: 'LastDenial', kind: 'lastSeen' },
  ],
  query: `let lookback = {{lookback}};
let burstWindow = {{burstWindow}};
let minDenials = {{minDenials}};
let approvalWindow = {{approvalWindow}};
let userPrincipalName = {{userPrincipalName}};
${denialsLet('ago(lookback)')}
${approvalsLet('ago(lookback)')}
// Sliding window, not day bins: for each denial, count the user's denials in
// the window that ends at it. A five-minute burst stays visible this way.
let denseDenials =
    denials
    | join kind=inner (
        denials
        | project UserPrincipalName, EarlierRequestId = DenialRequestId, EarlierTime = DenialTime
        ) on UserPrincipalName
    | where EarlierTime between ((DenialTime - burstWindow) .. DenialTime)
    | summarize DenialsInWindow = dcount(EarlierRequestId), WindowStart = min(EarlierTime)
        by UserPrincipalName, DenialRequestId, DenialTime
    | where DenialsInWindow >= minDenials;
// Windows whose end points are less than one window apart overlap: merge them into one burst.
let bursts =
    denseDenials
    | sort by UserPrincipalName asc, DenialTime asc
    | extend BurstStart = row_window_session(DenialTime, lookback, burstWindow, UserPrincipalName != prev(UserPrincipalName))
    | summarize FirstDenial = min(WindowStart), LastDenial = max(DenialTime), MaxDenialsInWindow = max(DenialsInWindow)
        by UserPrincipalName, BurstStart;
let burstDenials =
    bursts
    | join kind=inner denials on UserPrincipalName
    | where DenialTime between (FirstDenial .. LastDenial)
    | summarize Denials = dcount(DenialRequestId), DenialIPs = make_set(DenialIPAddress, 20),
        DenialCountries = make_set(DenialCountry, 20)
        by UserPrincipalName, FirstDenial, LastDenial, MaxDenialsInWindow;
// The first approval during the burst or soon after it.
let burstApprovals =
    burstDenials
    | join kind=inner approvals on UserPrincipalName
    | where ApprovalTime between (FirstDenial .. (LastDenial + approvalWindow))
    | summarize arg_min(ApprovalTime, ApprovalIPAddress, ApprovalCountry, SessionId) by UserPrincipalName, FirstDenial;
burstDenials
| join kind=leftouter burstApprovals on UserPrincipalName, FirstDenial
| extend Approved = isnotnull(ApprovalTime), BurstDuration = LastDenial - FirstDenial, TimeToApproval = ApprovalTime - LastDenial
| project UserPrincipalName, FirstDenial, LastDenial, Denials, MaxDenialsInWindow, BurstDuration, Approved,
    ApprovalTime, TimeToApproval, ApprovalIPAddress, ApprovalCountry, SessionId, DenialIPs, DenialCountries
| order by Approved desc, Denials desc
`,
};

export const MFA_PROMPT_BURST_XDR: Hunt = {
  id: 'mfa-prompt-burst-xdr',
  title: 'MFA prompt bursts in a sliding window (Defender XDR)',
  description:
    'The sliding-window burst hunt on the Defender XDR sign-in table, where ErrorCode is a number. The table has no ' +
    'MFA result detail, so every 500121 attempt counts as a denial. EntraIdSignInEvents, which replaces ' +
    'AADSignInEventsBeta, has the same columns.',
  stage: 'before',
  mitre: 'T1621',
  tables: ['AADSignInEventsBeta'],
  target: 'defenderXdr',
  parameters: BURST_PARAMETERS,
  entities: [
    { column: 'AccountUpn', kind: 'userPrincipalName' },
    { column: 'ApprovalIPAddress', kind: 'ipAddress' },
    { column: 'ApprovalTime', kind: 'approvalTime' },
    { column: 'SessionId', kind: 'sessionId' },
    { column: 'LastDenial', kind: 'lastSeen' },
  ],
  query: `let lookback = {{lookback}};
let burstWindow = {{burstWindow}};
let minDenials = {{minDenials}};
let approvalWindow = {{approvalWindow}};
let userPrincipalName = {{userPrincipalName}};
// ErrorCode is a number in this table. There is no OriginalRequestId, so an
// attempt is counted by RequestId, which the rows of one attempt share.
let denials = materialize(
    AADSignInEventsBeta
    | where Timestamp > ago(lookback)
    | where ErrorCode == 500121
    | where isempty(userPrincipalName) or AccountUpn =~ userPrincipalName
    | summarize DenialTime = min(Timestamp), DenialIPAddress = take_any(IPAddress), DenialCountry = take_any(Country)
        by AccountUpn = tolower(AccountUpn), RequestId);
// NOTE: without the MFA result detail, a success whose MFA came from a claim in
// the token cannot be distinguished from an approved prompt. Non-interactive rows,
// which carry such claims, are left out by LogonType.
let approvals =
    AADSignInEventsBeta
    | where Timestamp > ago(lookback)
    | where ErrorCode == 0 and AuthenticationRequirement == "multiFactorAuthentication"
    | where LogonType has "interactiveUser"
    | where isempty(userPrincipalName) or AccountUpn =~ userPrincipalName
    | summarize ApprovalTime = min(Timestamp), ApprovalIPAddress = take_any(IPAddress), ApprovalCountry = take_any(Country),
        SessionId = take_any(SessionId)
        by AccountUpn = tolower(AccountUpn), RequestId;
// Sliding window: for each denial, count the user's denials in the window that ends at it.
let denseDenials =
    denials
    | join kind=inner (denials | project AccountUpn, EarlierRequestId = RequestId, EarlierTime = DenialTime) on AccountUpn
    | where EarlierTime between ((DenialTime - burstWindow) .. DenialTime)
    | summarize DenialsInWindow = dcount(EarlierRequestId), WindowStart = min(EarlierTime) by AccountUpn, RequestId, DenialTime
    | where DenialsInWindow >= minDenials;
// Windows whose end points are less than one window apart overlap: merge them into one burst.
let bursts =
    denseDenials
    | sort by AccountUpn asc, DenialTime asc
    | extend BurstStart = row_window_session(DenialTime, lookback, burstWindow, AccountUpn != prev(AccountUpn))
    | summarize FirstDenial = min(WindowStart), LastDenial = max(DenialTime), MaxDenialsInWindow = max(DenialsInWindow)
        by AccountUpn, BurstStart;
let burstDenials =
    bursts
    | join kind=inner denials on AccountUpn
    | where DenialTime between (FirstDenial .. LastDenial)
    | summarize Denials = dcount(RequestId), DenialIPs = make_set(DenialIPAddress, 20), DenialCountries = make_set(DenialCountry, 20)
        by AccountUpn, FirstDenial, LastDenial, MaxDenialsInWindow;
let burstApprovals =
    burstDenials
    | join kind=inner approvals on AccountUpn
    | where ApprovalTime between (FirstDenial .. (LastDenial + approvalWindow))
    | summarize arg_min(ApprovalTime, ApprovalIPAddress, ApprovalCountry, SessionId) by AccountUpn, FirstDenial;
burstDenials
| join kind=leftouter burstApprovals on AccountUpn, FirstDenial
| extend Approved = isnotnull(ApprovalTime), BurstDuration = LastDenial - FirstDenial, TimeToApproval = ApprovalTime - LastDenial
| project AccountUpn, FirstDenial, LastDenial, Denials, MaxDenialsInWindow, BurstDuration, Approved,
    ApprovalTime, TimeToApproval, ApprovalIPAddress, ApprovalCountry, SessionId, DenialIPs, DenialCountries
| order by Approved desc, Denials desc
`,
};
