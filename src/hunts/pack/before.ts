/** Hunts for the prompts before an approval: failures, bursts (in bursts.ts), odd hours and fraud reports. */
import type { Hunt } from '../types';
import { MFA_PROMPT_BURST, MFA_PROMPT_BURST_XDR } from './bursts';
import { approvalsLet } from './fragments';
import { lookback, USER_FILTER } from './parameters';

const mfaFailuresAndDenials: Hunt = {
  id: 'mfa-failures-and-denials',
  title: 'Repeated MFA failures and denials',
  description:
    'Failed MFA attempts (denied, unanswered, wrong number, fraud reported, challenge not met) of users with several ' +
    'of them, one row per attempt with user, IP, app, result code, MFA detail and location.',
  stage: 'before',
  mitre: 'T1621',
  tables: ['SigninLogs'],
  target: 'logAnalytics',
  parameters: [
    lookback('How far back to search.'),
    {
      name: 'minFailedAttempts',
      type: 'long',
      default: 3,
      min: 1,
      description: 'Minimum number of failed MFA attempts a user needs in the lookback to be listed.',
    },
    USER_FILTER,
  ],
  entities: [
    { column: 'UserPrincipalName', kind: 'userPrincipalName' },
    { column: 'IPAddress', kind: 'ipAddress' },
    { column: 'CorrelationId', kind: 'correlationId' },
    { column: 'TimeGenerated', kind: 'lastSeen' },
  ],
  query: `let lookback = {{lookback}};
let minFailedAttempts = {{minFailedAttempts}};
let userPrincipalName = {{userPrincipalName}};
// ResultType is text. The MFA failures are 500121 (denied, unanswered, wrong
// number, fraud reported), 50158 (external challenge not met) and 50088
// (telephony call limit). Interrupts such as 50074, 50076 and 50140 are steps
// of an ordinary sign-in, not failures, so they are not listed.
let failedAttempts = materialize(
    SigninLogs
    | where TimeGenerated > ago(lookback)
    | where AuthenticationRequirement == "multiFactorAuthentication"
    | where ResultType in ("500121", "50158", "50088")
    | where isempty(userPrincipalName) or UserPrincipalName =~ userPrincipalName
    | extend UserPrincipalName = tolower(UserPrincipalName)
    // One attempt is written as several rows that share OriginalRequestId: keep its first row.
    | summarize arg_min(TimeGenerated, UserPrincipalName, IPAddress, AppDisplayName, ResultType,
        ResultDescription, Status, LocationDetails, ClientAppUsed, UserAgent, CorrelationId)
        by OriginalRequestId);
let repeatUsers =
    failedAttempts
    | summarize UserFailedAttempts = count() by UserPrincipalName
    | where UserFailedAttempts >= minFailedAttempts;
failedAttempts
| join kind=inner repeatUsers on UserPrincipalName
| extend MfaResultDetail = tostring(Status.additionalDetails),
    Country = tostring(LocationDetails.countryOrRegion),
    City = tostring(LocationDetails.city)
| project TimeGenerated, UserPrincipalName, IPAddress, AppDisplayName, ResultType, ResultDescription,
    MfaResultDetail, Country, City, ClientAppUsed, UserAgent, UserFailedAttempts, CorrelationId, OriginalRequestId
| order by UserFailedAttempts desc, UserPrincipalName asc, TimeGenerated asc
`,
};

const promptsOutsideUsualHours: Hunt = {
  id: 'prompts-outside-usual-hours',
  title: "MFA prompts outside the user's usual hours",
  description:
    'MFA prompts (denied or approved) at hours of the day, in UTC, when the user rarely signed in during the ' +
    'baseline period before the lookback.',
  stage: 'before',
  mitre: 'T1621',
  tables: ['SigninLogs'],
  target: 'logAnalytics',
  parameters: [
    lookback('How far back to look for prompts.'),
    {
      name: 'baselinePeriod',
      type: 'timespan',
      default: '30d',
      description: 'Length of the baseline period that ends where the lookback starts.',
    },
    {
      name: 'minBaselineSignIns',
      type: 'long',
      default: 20,
      min: 1,
      description: 'Minimum number of successful sign-ins a user needs in the baseline period to have usual hours.',
    },
    {
      name: 'minHourSharePercent',
      type: 'long',
      default: 3,
      min: 1,
      max: 100,
      description: "Share of the user's baseline sign-ins, in percent, that makes an hour of the day usual.",
    },
    USER_FILTER,
  ],
  entities: [
    { column: 'UserPrincipalName', kind: 'userPrincipalName' },
    { column: 'LastPrompt', kind: 'lastSeen' },
  ],
  query: `let lookback = {{lookback}};
let baselinePeriod = {{baselinePeriod}};
let minBaselineSignIns = {{minBaselineSignIns}};
let minHourSharePercent = {{minHourSharePercent}};
let userPrincipalName = {{userPrincipalName}};
// Usual hours come from interactive successful sign-ins only: non-interactive
// token refreshes run around the clock and would make every hour look usual.
// Hours are UTC, so a user who travels shifts them.
let usualHours =
    SigninLogs
    | where TimeGenerated between (ago(lookback + baselinePeriod) .. ago(lookback))
    | where ResultType == "0"
    | where isempty(userPrincipalName) or UserPrincipalName =~ userPrincipalName
    | summarize SignIns = dcount(OriginalRequestId) by UserPrincipalName = tolower(UserPrincipalName), Hour = hourofday(TimeGenerated)
    | summarize HourCounts = make_list(bag_pack("hour", Hour, "signIns", SignIns)), BaselineSignIns = sum(SignIns)
        by UserPrincipalName
    | where BaselineSignIns >= minBaselineSignIns
    | mv-apply HourCount = HourCounts on (
        where tolong(HourCount.signIns) * 100 >= minHourSharePercent * BaselineSignIns
        | summarize UsualHours = make_set(toint(HourCount.hour))
        )
    | project UserPrincipalName, UsualHours, BaselineSignIns;
// A prompt is an MFA attempt that was denied (500121) or approved (0), counted
// once per OriginalRequestId.
SigninLogs
| where TimeGenerated > ago(lookback)
| where AuthenticationRequirement == "multiFactorAuthentication"
| where ResultType in ("0", "500121")
| where tostring(todynamic(Status).additionalDetails) !has "claim in the token"
| where isempty(userPrincipalName) or UserPrincipalName =~ userPrincipalName
| summarize PromptTime = min(TimeGenerated), ResultType = take_any(ResultType), IPAddress = take_any(IPAddress)
    by UserPrincipalName = tolower(UserPrincipalName), OriginalRequestId
| extend PromptHour = hourofday(PromptTime)
// Users without a baseline (new or rarely active) drop out here.
| join kind=inner usualHours on UserPrincipalName
| where not(set_has_element(UsualHours, PromptHour))
| summarize PromptsOutsideUsualHours = count(), Denials = countif(ResultType == "500121"), Approvals = countif(ResultType == "0"),
    FirstPrompt = min(PromptTime), LastPrompt = max(PromptTime), PromptHours = make_set(PromptHour), IPs = make_set(IPAddress, 20)
    by UserPrincipalName, BaselineSignIns, UsualHours = tostring(UsualHours)
| order by Denials desc, PromptsOutsideUsualHours desc
`,
};

const fraudReported: Hunt = {
  id: 'fraud-reported',
  title: 'MFA fraud reported by the user',
  description:
    'Prompts the user reported as fraud, from the sign-in log (500121 with a fraud detail) and from Identity ' +
    'Protection (userReportedSuspiciousActivity), with the first approval that followed the report.',
  stage: 'before',
  mitre: 'T1621',
  tables: ['SigninLogs', 'AADUserRiskEvents'],
  target: 'logAnalytics',
  parameters: [
    lookback('How far back to search.', '14d'),
    {
      name: 'approvalWindow',
      type: 'timespan',
      default: '24h',
      description: 'How long after a report an approval is shown with it.',
    },
    USER_FILTER,
  ],
  entities: [
    { column: 'UserPrincipalName', kind: 'userPrincipalName' },
    { column: 'IPAddress', kind: 'ipAddress' },
    { column: 'CorrelationId', kind: 'correlationId' },
    { column: 'ApprovalTime', kind: 'approvalTime' },
  ],
  query: `let lookback = {{lookback}};
let approvalWindow = {{approvalWindow}};
let userPrincipalName = {{userPrincipalName}};
// In the sign-in log a fraud report is a 500121 attempt whose MFA detail or
// authentication steps mention fraud ("Phone App Reported Fraud", "Fraud Code Entered").
let signInReports =
    SigninLogs
    | where TimeGenerated > ago(lookback)
    | where ResultType == "500121"
    | extend MfaResultDetail = tostring(todynamic(Status).additionalDetails)
    | where MfaResultDetail has "fraud" or AuthenticationDetails has "fraud"
    | summarize ReportTime = min(TimeGenerated), IPAddress = take_any(IPAddress), Detail = take_any(MfaResultDetail),
        CorrelationId = take_any(CorrelationId)
        by UserPrincipalName = tolower(UserPrincipalName), OriginalRequestId
    | project ReportTime, UserPrincipalName, IPAddress, Source = "SigninLogs", Detail, CorrelationId;
// Identity Protection records the report as a user risk event.
let riskEventReports =
    AADUserRiskEvents
    | where TimeGenerated > ago(lookback)
    | where RiskEventType == "userReportedSuspiciousActivity"
    | project ReportTime = coalesce(ActivityDateTime, DetectedDateTime, TimeGenerated), UserPrincipalName = tolower(UserPrincipalName),
        IPAddress = IpAddress, Source = "AADUserRiskEvents", Detail = strcat("risk level ", RiskLevel, ", state ", RiskState),
        CorrelationId;
// One report can appear in both sources with the same CorrelationId: merge those.
let reports =
    union signInReports, riskEventReports
    | where isempty(userPrincipalName) or UserPrincipalName =~ userPrincipalName
    | extend ReportKey = iff(isempty(CorrelationId), strcat(Source, "|", tostring(ReportTime)), CorrelationId)
    | summarize ReportTime = min(ReportTime), IPAddress = take_any(IPAddress), Sources = make_set(Source),
        Details = make_set(Detail, 5), CorrelationId = take_any(CorrelationId)
        by UserPrincipalName, ReportKey;
${approvalsLet('ago(lookback)')}
// An approval soon after a fraud report suggests the attacker kept prompting until one was accepted.
let approvalsAfterReport =
    reports
    | join kind=inner approvals on UserPrincipalName
    | where ApprovalTime between (ReportTime .. (ReportTime + approvalWindow))
    | summarize arg_min(ApprovalTime, ApprovalIPAddress, SessionId) by UserPrincipalName, ReportKey;
reports
| join kind=leftouter approvalsAfterReport on UserPrincipalName, ReportKey
| project ReportTime, UserPrincipalName, IPAddress, Sources, Details, CorrelationId, ApprovalTime, ApprovalIPAddress,
    SessionId, TimeToApproval = ApprovalTime - ReportTime
| order by ReportTime desc
`,
};

export const BEFORE_HUNTS: readonly Hunt[] = [
  mfaFailuresAndDenials,
  MFA_PROMPT_BURST,
  MFA_PROMPT_BURST_XDR,
  promptsOutsideUsualHours,
  fraudReported,
];
