// DuckDB SQL equivalents of the library hunts that the local engine
// benchmark times, written for the tables that engineDuckDb.ts fills: string
// columns hold '' where Kusto has an empty string, dynamic columns hold JSON
// text, datetimes are TIMESTAMP. Each query uses the hunt's default
// parameters, which huntSql checks against the library.
import type { Hunt } from '../../src/hunts/types';

export interface HuntSql {
  /** Library hunt id. */
  readonly id: string;
  /** The default parameters the SQL has built in; huntSql rejects the pair if the library's defaults differ. */
  readonly defaults: Readonly<Record<string, string | number>>;
  /** Builds the SQL for a reference time (now()) given as ISO 8601 text. */
  readonly sql: (now: string) => string;
  /** How the SQL's rows differ from the hunt's, beyond row order of ties; '' when they do not. */
  readonly difference: string;
}

/** The first MFA-failure row of each request, then the users with at least minFailedAttempts of them. */
const failuresAndDenials: HuntSql = {
  id: 'mfa-failures-and-denials',
  defaults: { lookback: '7d', minFailedAttempts: 3, userPrincipalName: '' },
  difference: '',
  sql: (now) => `
with picked as (
  select OriginalRequestId,
    arg_min({'TimeGenerated': TimeGenerated, 'UserPrincipalName': lower(UserPrincipalName), 'IPAddress': IPAddress,
      'AppDisplayName': AppDisplayName, 'ResultType': ResultType, 'ResultDescription': ResultDescription,
      'Status': Status, 'LocationDetails': LocationDetails, 'ClientAppUsed': ClientAppUsed,
      'UserAgent': UserAgent, 'CorrelationId': CorrelationId}, TimeGenerated) as first
  from SigninLogs
  where TimeGenerated > TIMESTAMP '${now}' - INTERVAL 7 DAY
    and AuthenticationRequirement = 'multiFactorAuthentication'
    and ResultType in ('500121', '50158', '50088')
  group by OriginalRequestId
), failed as (
  select OriginalRequestId, unnest(first) from picked
), repeatUsers as (
  select UserPrincipalName, count(*) as UserFailedAttempts
  from failed group by UserPrincipalName having count(*) >= 3
)
select f.TimeGenerated, f.UserPrincipalName, f.IPAddress, f.AppDisplayName, f.ResultType, f.ResultDescription,
  json_extract_string(f.Status, '$.additionalDetails') as MfaResultDetail,
  json_extract_string(f.LocationDetails, '$.countryOrRegion') as Country,
  json_extract_string(f.LocationDetails, '$.city') as City,
  f.ClientAppUsed, f.UserAgent, r.UserFailedAttempts, f.CorrelationId, f.OriginalRequestId
from failed f join repeatUsers r on f.UserPrincipalName = r.UserPrincipalName
order by r.UserFailedAttempts desc, f.UserPrincipalName asc, f.TimeGenerated asc`,
};

/** Per user and IP, distinct denied and approved requests, kept where a success follows enough denials. */
const successAfterFailures: HuntSql = {
  id: 'success-after-failures',
  defaults: { lookback: '7d', minFailedAttempts: 5, userPrincipalName: '' },
  difference: 'dcountif is exact here (count(distinct ...) filter); in Kusto it is an estimate.',
  sql: (now) => `
select lower(UserPrincipalName) as UserPrincipalName, IPAddress,
  count(distinct OriginalRequestId) filter (where ResultType = '500121') as FailedAttempts,
  count(distinct OriginalRequestId) filter (where ResultType = '0') as SuccessfulAttempts,
  min(TimeGenerated) as FirstSeen, max(TimeGenerated) as LastSeen,
  min(TimeGenerated) filter (where ResultType = '500121') as FirstFailure,
  max(TimeGenerated) filter (where ResultType = '0') as LastSuccess
from SigninLogs
where TimeGenerated > TIMESTAMP '${now}' - INTERVAL 7 DAY
  and AuthenticationRequirement = 'multiFactorAuthentication'
  and ResultType in ('0', '500121')
group by lower(UserPrincipalName), IPAddress
having FailedAttempts >= 5 and SuccessfulAttempts >= 1 and LastSuccess > FirstFailure
order by FailedAttempts desc`,
};

/** Mailbox and file operations in the last lookback, with the client address stripped of its port. */
const activityAfterApproval: HuntSql = {
  id: 'activity-after-approval',
  defaults: { userPrincipalName: '', startTime: '1970-01-01T00:00:00Z', window: '24h', lookback: '7d' },
  difference:
    "RawEventData is DuckDB's to_json of the whole row, which keeps null and empty fields that pack_all(true) drops.",
  sql: (now) => `
with picked as (
  select *, coalesce(nullif(ClientIP, ''), nullif(Client_IPAddress, ''), ActorIpAddress) as RawClientIP, to_json(o) as RawEventData
  from OfficeActivity o
  where TimeGenerated between TIMESTAMP '${now}' - INTERVAL 7 DAY and TIMESTAMP '${now}'
    and Operation in ('MailItemsAccessed', 'FileDownloaded', 'New-InboxRule', 'Set-InboxRule')
)
select TimeGenerated, UserId as UserPrincipalName, Operation, OfficeWorkload as Application,
  case
    when starts_with(RawClientIP, '[') then regexp_extract(RawClientIP, '^\\[([^\\]]+)\\]', 1)
    when regexp_matches(RawClientIP, '^\\d{1,3}(\\.\\d{1,3}){3}:\\d+$') then split_part(RawClientIP, ':', 1)
    else RawClientIP
  end as IPAddress,
  ResultStatus, coalesce(nullif(SourceFileName, ''), nullif(ItemName, ''), OfficeObjectId) as ItemName,
  MailboxOwnerUPN, ClientInfoString, UserAgent, RawEventData
from picked
order by TimeGenerated asc`,
};

/**
 * Denials counted in a sliding window with a RANGE window function, then
 * merged into bursts where neighbouring dense denials are at most one window
 * apart. That is row_window_session's neighbour rule. Its other rule, a
 * session no longer than the lookback, never splits rows that all lie within
 * one lookback. Each burst is then joined to its denials and to the first
 * approval after it.
 */
const promptBurst: HuntSql = {
  id: 'mfa-prompt-burst',
  defaults: { lookback: '7d', burstWindow: '10m', minDenials: 5, approvalWindow: '1h', userPrincipalName: '' },
  difference: 'make_set keeps the first 20 distinct values in DuckDB\'s list order, which may pick other values than Kusto.',
  sql: (now) => `
with denials as (
  select lower(UserPrincipalName) as UserPrincipalName, OriginalRequestId as DenialRequestId,
    min(TimeGenerated) as DenialTime, any_value(IPAddress) as DenialIPAddress,
    any_value(coalesce(json_extract_string(LocationDetails, '$.countryOrRegion'), '')) as DenialCountry
  from SigninLogs
  where TimeGenerated > TIMESTAMP '${now}' - INTERVAL 7 DAY and ResultType = '500121'
  group by lower(UserPrincipalName), OriginalRequestId
), approvals as (
  select lower(UserPrincipalName) as UserPrincipalName, OriginalRequestId as ApprovalRequestId,
    min(TimeGenerated) as ApprovalTime, any_value(IPAddress) as ApprovalIPAddress,
    any_value(coalesce(json_extract_string(LocationDetails, '$.countryOrRegion'), '')) as ApprovalCountry,
    any_value(SessionId) as SessionId
  from SigninLogs
  where TimeGenerated > TIMESTAMP '${now}' - INTERVAL 7 DAY
    and ResultType = '0' and AuthenticationRequirement = 'multiFactorAuthentication'
    and not regexp_matches(lower(coalesce(json_extract_string(Status, '$.additionalDetails'), '')),
      '(^|[^a-z0-9\\x80-\\x{10FFFF}])claim in the token($|[^a-z0-9\\x80-\\x{10FFFF}])')
  group by lower(UserPrincipalName), OriginalRequestId
), dense as (
  select UserPrincipalName, DenialRequestId, DenialTime,
    count(*) over recent as DenialsInWindow, min(DenialTime) over recent as WindowStart
  from denials
  window recent as (partition by UserPrincipalName order by DenialTime
    range between INTERVAL 10 MINUTE preceding and current row)
  qualify DenialsInWindow >= 5
), gaps as (
  select *, lag(DenialTime) over (partition by UserPrincipalName order by DenialTime) as PreviousTime from dense
), sessions as (
  select *, sum(case when PreviousTime is null or DenialTime - PreviousTime > INTERVAL 10 MINUTE then 1 else 0 end)
    over (partition by UserPrincipalName order by DenialTime rows unbounded preceding) as BurstNumber
  from gaps
), bursts as (
  select UserPrincipalName, min(WindowStart) as FirstDenial, max(DenialTime) as LastDenial,
    max(DenialsInWindow) as MaxDenialsInWindow
  from sessions group by UserPrincipalName, BurstNumber
), burstDenials as (
  select b.UserPrincipalName, b.FirstDenial, b.LastDenial, b.MaxDenialsInWindow,
    count(distinct d.DenialRequestId) as Denials,
    list_distinct(list(d.DenialIPAddress))[1:20] as DenialIPs,
    list_distinct(list(d.DenialCountry))[1:20] as DenialCountries
  from bursts b join denials d
    on d.UserPrincipalName = b.UserPrincipalName and d.DenialTime between b.FirstDenial and b.LastDenial
  group by b.UserPrincipalName, b.FirstDenial, b.LastDenial, b.MaxDenialsInWindow
), burstApprovals as (
  select bd.UserPrincipalName, bd.FirstDenial,
    arg_min({'ApprovalTime': a.ApprovalTime, 'ApprovalIPAddress': a.ApprovalIPAddress,
      'ApprovalCountry': a.ApprovalCountry, 'SessionId': a.SessionId}, a.ApprovalTime) as first
  from burstDenials bd join approvals a
    on a.UserPrincipalName = bd.UserPrincipalName
    and a.ApprovalTime between bd.FirstDenial and bd.LastDenial + INTERVAL 1 HOUR
  group by bd.UserPrincipalName, bd.FirstDenial
)
select bd.UserPrincipalName, bd.FirstDenial, bd.LastDenial, bd.Denials, bd.MaxDenialsInWindow,
  bd.LastDenial - bd.FirstDenial as BurstDuration, ba.first is not null as Approved,
  ba.first.ApprovalTime as ApprovalTime, ba.first.ApprovalTime - bd.LastDenial as TimeToApproval,
  ba.first.ApprovalIPAddress as ApprovalIPAddress, ba.first.ApprovalCountry as ApprovalCountry,
  ba.first.SessionId as SessionId, bd.DenialIPs, bd.DenialCountries
from burstDenials bd left join burstApprovals ba
  on ba.UserPrincipalName = bd.UserPrincipalName and ba.FirstDenial = bd.FirstDenial
order by Approved desc, Denials desc`,
};

export const HUNT_SQL: readonly HuntSql[] = [failuresAndDenials, successAfterFailures, activityAfterApproval, promptBurst];

/** Returns the SQL of a hunt after checking that the hunt's defaults are the ones built into it. */
export function huntSql(hunt: Hunt): HuntSql {
  const entry = HUNT_SQL.find((candidate) => candidate.id === hunt.id);
  if (!entry) {
    throw new Error(`No SQL equivalent of hunt ${hunt.id}; add one to test/bench/engineHuntSql.ts.`);
  }
  for (const parameter of hunt.parameters) {
    const expected = entry.defaults[parameter.name];
    if (String(expected) !== String(parameter.default)) {
      throw new Error(
        `Hunt ${hunt.id} now defaults ${parameter.name} to ${String(parameter.default)}, but its SQL in test/bench/engineHuntSql.ts uses ${String(expected)}; update the SQL.`,
      );
    }
  }
  return entry;
}
