/**
 * KQL fragments that several hunts share, so that "a denial" and "an
 * approval" mean the same thing in every hunt. Each fragment is a `let`
 * statement (or an expression) that reads the `let` parameters named in its
 * comment, and the hunt that includes it declares them.
 */

/**
 * `denials`: one row per denied MFA attempt in SigninLogs since `since`.
 * Reads `userPrincipalName`. Columns: UserPrincipalName (lower case),
 * DenialRequestId, DenialTime, DenialIPAddress, DenialCountry, MfaResultDetail.
 */
export function denialsLet(since: string): string {
  return `// Denied MFA attempts. ResultType is text, and "500121" covers declined, unanswered,
// wrong-number and fraud-reported prompts. The 50074 and 50140 interrupts are
// logged beside ordinary prompts and are not denials.
// One attempt is written as several rows that share OriginalRequestId.
let denials = materialize(
    SigninLogs
    | where TimeGenerated > ${since}
    | where ResultType == "500121"
    | where isempty(userPrincipalName) or UserPrincipalName =~ userPrincipalName
    | summarize DenialTime = min(TimeGenerated),
        DenialIPAddress = take_any(IPAddress),
        DenialCountry = take_any(tostring(todynamic(LocationDetails).countryOrRegion)),
        MfaResultDetail = take_any(tostring(todynamic(Status).additionalDetails))
        by UserPrincipalName = tolower(UserPrincipalName), DenialRequestId = OriginalRequestId);`;
}

/**
 * `approvals`: one row per approved MFA sign-in in SigninLogs since `since`.
 * Reads `userPrincipalName`. Columns: UserPrincipalName (lower case),
 * ApprovalRequestId, ApprovalTime, ApprovalIPAddress, ApprovalCountry,
 * AppDisplayName, SessionId, UniqueTokenIdentifier, CorrelationId.
 */
export function approvalsLet(since: string): string {
  return `// Approvals: successful sign-ins that required MFA. A success whose MFA
// requirement was met by a claim already in the token sent no prompt, so it
// is not an approval. SessionId is read with column_ifexists because older
// workspaces do not have the column.
let approvals = materialize(
    SigninLogs
    | where TimeGenerated > ${since}
    | where ResultType == "0" and AuthenticationRequirement == "multiFactorAuthentication"
    | where tostring(todynamic(Status).additionalDetails) !has "claim in the token"
    | where isempty(userPrincipalName) or UserPrincipalName =~ userPrincipalName
    | summarize ApprovalTime = min(TimeGenerated),
        ApprovalIPAddress = take_any(IPAddress),
        ApprovalCountry = take_any(tostring(todynamic(LocationDetails).countryOrRegion)),
        AppDisplayName = take_any(AppDisplayName),
        SessionId = take_any(tostring(column_ifexists("SessionId", ""))),
        UniqueTokenIdentifier = take_any(UniqueTokenIdentifier),
        CorrelationId = take_any(CorrelationId)
        by UserPrincipalName = tolower(UserPrincipalName), ApprovalRequestId = OriginalRequestId);`;
}

/**
 * `watchedApprovals`: the approvals preceded by at least `minDenials` denials
 * within `denialWindow`, with the count in DenialsBeforeApproval. Needs the
 * `denials` and `approvals` fragments and the `denialWindow` and `minDenials`
 * parameters. With `minDenials` at 0 it keeps every approval.
 */
export const WATCHED_APPROVALS_LET = `// Count each approval's denials in the window before it. The left outer join
// keeps approvals without denials, so minDenials = 0 follows every approval.
let denialCounts =
    approvals
    | join kind=inner denials on UserPrincipalName
    | where DenialTime between ((ApprovalTime - denialWindow) .. ApprovalTime)
    | summarize DenialsBeforeApproval = dcount(DenialRequestId), FirstDenial = min(DenialTime)
        by ApprovalRequestId;
let watchedApprovals =
    approvals
    | join kind=leftouter denialCounts on ApprovalRequestId
    | extend DenialsBeforeApproval = coalesce(DenialsBeforeApproval, 0)
    | where DenialsBeforeApproval >= minDenials
    | project-away ApprovalRequestId1;`;

/**
 * `huntStart` and `huntEnd`: the time range of the hunts that a pivot can aim
 * at one moment, from the `startTime`, `window` and `lookback` parameters
 * (RANGE_PARAMETERS).
 */
export const HUNT_RANGE_LET = `let startTime = {{startTime}};
let window = {{window}};
let lookback = {{lookback}};
// With startTime left at 1970-01-01 the hunt covers the last lookback; a pivot
// from an approval sets startTime to the approval time and looks window ahead.
let huntStart = iff(startTime == datetime(1970-01-01), ago(lookback), startTime);
let huntEnd = iff(startTime == datetime(1970-01-01), now(), startTime + window);`;

/**
 * An expression that strips the port from OfficeActivity's client address:
 * `[2001:db8::1]:443` becomes `2001:db8::1` and `203.0.113.7:443` becomes
 * `203.0.113.7`. Bare IPv6 and IPv4 addresses pass through.
 */
export const CLIENT_IP_ADDRESS_EXPRESSION = String.raw`case(
        RawClientIP startswith "[", extract(@"^\[([^\]]+)\]", 1, RawClientIP),
        RawClientIP matches regex @"^\d{1,3}(\.\d{1,3}){3}:\d+$", tostring(split(RawClientIP, ":")[0]),
        RawClientIP)`;
